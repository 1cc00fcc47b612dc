// SPDX-License-Identifier: MIT
#include "views/sweepview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlastudio::ui {

namespace {

// The current point's value as the field's users write it: whole tokens and requests, SI otherwise.
QString axisValueText(core::SweepAxis axis, double value)
{
    switch (axis) {
    case core::SweepAxis::DramBandwidth: return viewutil::si(value, "B/s");
    case core::SweepAxis::Compute: return viewutil::si(value, "FLOP/s");
    case core::SweepAxis::SramCapacity: return viewutil::si(value, "B");
    default: return QString::number(qint64(std::llround(value)));
    }
}

} // namespace

using namespace viewutil;

namespace {

constexpr core::SweepAxis kAxes[] = {
    core::SweepAxis::KvLength, core::SweepAxis::Batch,        core::SweepAxis::DramBandwidth,
    core::SweepAxis::Compute,  core::SweepAxis::SramCapacity, core::SweepAxis::QueryLength,
};

} // namespace

SweepView::SweepView(Scenario *scenario, QWidget *parent)
    : PlotView(scenario, parent)
    , m_axisCombo(new QComboBox(this))
{
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    auto *label = new QLabel(tr("&x axis:"), this);
    label->setBuddy(m_axisCombo);
    bar->addWidget(label);
    bar->addWidget(m_axisCombo);
    bar->addStretch(1);
    mainLayout()->insertLayout(0, bar);
    for (core::SweepAxis axis : kAxes)
        m_axisCombo->addItem(axisLabel(axis), int(axis));
    m_axisCombo->setToolTip(tr("Parameter along the horizontal axis (saved with the scenario)"));
    connect(m_axisCombo, &QComboBox::activated, this, &SweepView::onAxisChosen);

    QCustomPlot *p = plot();
    setLogAxis(p->xAxis);
    setLogAxis(p->yAxis);
    p->axisRect()->setupFullAxesBox(false);
    p->xAxis2->setTicks(false);
    p->yAxis2->setTicks(false);
    p->legend->setVisible(true);
    figureLayout()->addLegend(p->legend, p->axisRect());
}

SweepView::~SweepView() = default;

void SweepView::onAxisChosen(int index)
{
    ViewSettings vs = scenario()->viewSettings();
    vs.throughputAxis = core::SweepAxis(m_axisCombo->itemData(index).toInt());
    if (vs.throughputAxis != scenario()->viewSettings().throughputAxis)
        scenario()->setViewSettings(vs);
}

void SweepView::rebuild()
{
    QCustomPlot *p = plot();
    const Scenario *sc = scenario();
    const core::SweepAxis axis = sc->viewSettings().throughputAxis;
    {
        const QSignalBlocker block(m_axisCombo);
        m_axisCombo->setCurrentIndex(m_axisCombo->findData(int(axis)));
    }
    clearContent();
    double xMin = 1.0, xMax = 10.0;
    axisRange(axis, &xMin, &xMax);
    p->xAxis->setLabel(axisLabel(axis));
    p->yAxis->setLabel(metricLabel());
    figureLayout()->setAxisTitles(p->yAxis, metricLabel(), briefMetricLabel());
    setPaddedLogRange(p->xAxis, xMin, xMax);

    if (sc->results().empty()) {
        showInvalidInputs();
        p->yAxis->setRange(1.0, 1e6);
        clearExtra();
        return;
    }
    setMessage({});
    const FigureTheme &t = theme();
    Sweep sw{axis, sweepPoints(axis, xMin, xMax)};
    // The pinned reference first, so the live curves draw on top.
    drawReferenceCurves(sw);
    for (const auto &res : sc->results())
        if (sc->isSchemeVisible(res.scheme))
            addCurve(sw, sc->parameters(), res.scheme, t.schemePen(res.scheme, t.lineWidth),
                     schemeName(res.scheme) + (res.autoSelected ? tr(" (auto)") : QString()));
    markCurrentPoint(sw);
    if (sw.overflowShown) {
        // A legend entry, not a free label: the legend is placed where it hides no curve.
        QCPGraph *key = p->addGraph();
        key->setName(tr("does not fit in DRAM"));
        key->setPen(QPen(t.foreground, std::max(1.0, t.lineWidth * 0.75), Qt::DotLine));
    }
    if (sw.yHi > 0.0)
        setPaddedLogRange(p->yAxis, decadeBelow(sw.yLo), decadeAbove(sw.yHi * 1.01));
    else
        p->yAxis->setRange(1.0, 1e6);
    rebuildExtra();
}

std::vector<double> SweepView::sweepPoints(core::SweepAxis axis, double xMin, double xMax)
{
    std::vector<double> xs = core::logSpace(xMin, xMax, kPoints);
    // Integer axes (batch, lengths) are evaluated at whole values only; otherwise the rounding
    // inside the model would draw stairs where log-spaced points share one integer.
    if (core::fieldInfo(core::axisField(axis)).integer) {
        for (double &x : xs)
            x = std::round(x);
        xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    }
    return xs;
}

QCPGraph *SweepView::addCurve(Sweep &sw, const core::Parameters &params, core::Scheme scheme, const QPen &pen, const QString &name)
{
    core::SweepSeries s;
    try {
        s = core::sweep(params, scheme, sw.axis, sw.xs);
    } catch (const std::exception &) {
        return nullptr;
    }
    // Points whose weights and KV cache exceed DRAM go to a second, dotted graph; the boundary
    // point belongs to both so the curve stays continuous.
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    QVector<QCPGraphData> fits, overflows;
    fits.reserve(int(s.x.size()));
    overflows.reserve(int(s.x.size()));
    bool anyOverflow = false;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
        double y = s.valid[i] ? seriesValue(s, i) : nan;
        if (!(std::isfinite(y) && y > 0.0))
            y = nan; // a gap, never a zero
        else {
            sw.yLo = std::min(sw.yLo, y);
            sw.yHi = std::max(sw.yHi, y);
        }
        const bool fit = !s.valid[i] || s.fitsInDram[i];
        const bool nextFit = i + 1 < s.x.size() && (!s.valid[i + 1] || s.fitsInDram[i + 1]);
        const bool prevFit = i > 0 && (!s.valid[i - 1] || s.fitsInDram[i - 1]);
        fits.push_back({s.x[i], fit || prevFit ? y : nan});
        overflows.push_back({s.x[i], !fit || !nextFit ? y : nan});
        anyOverflow |= !fit;
    }
    QCustomPlot *p = plot();
    QCPGraph *g = p->addGraph();
    g->setName(name);
    g->setPen(pen);
    g->data()->set(fits, true);
    if (anyOverflow) {
        QCPGraph *over = p->addGraph();
        over->setName(name + tr(" (does not fit in DRAM)"));
        over->removeFromLegend();
        QPen dotted = pen;
        dotted.setStyle(Qt::DotLine);
        over->setPen(dotted);
        over->data()->set(overflows, true);
        sw.overflowShown = true;
    }
    return g;
}

void SweepView::drawReferenceCurves(Sweep &sw)
{
    const Scenario *sc = scenario();
    if (!sc->reference())
        return;
    const FigureTheme &t = theme();
    bool first = true;
    for (const auto &res : sc->referenceResults()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        QCPGraph *g = addCurve(sw, *sc->reference(), res.scheme, QPen(t.reference, std::max(1.0, t.lineWidth * 0.75), Qt::DashLine),
                               tr("reference: %1").arg(schemeName(res.scheme)));
        if (g && !first)
            g->removeFromLegend();
        if (g && first) {
            g->setName(tr("reference (pinned)"));
            first = false;
        }
    }
}

void SweepView::markCurrentPoint(Sweep &sw)
{
    QCustomPlot *p = plot();
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    const double current = core::axisValue(sc->parameters(), sw.axis);
    for (const auto &res : sc->results()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        const double y = seriesValue(res);
        if (std::isfinite(y) && y > 0.0 && current > 0.0) {
            auto *tracer = new QCPItemTracer(p);
            tracer->setStyle(QCPItemTracer::tsCircle);
            tracer->position->setCoords(current, y);
            tracer->setSize(t.markerSize * 1.4);
            tracer->setPen(QPen(t.schemeColor(res.scheme), std::max(1.0, t.lineWidth * 0.75)));
            tracer->setBrush(QBrush(t.schemeColor(res.scheme)));
            sw.yLo = std::min(sw.yLo, y);
            sw.yHi = std::max(sw.yHi, y);
        }
    }
    if (!(current > 0.0))
        return;
    auto *vline = new QCPItemStraightLine(p);
    vline->point1->setCoords(current, 1.0);
    vline->point2->setCoords(current, 2.0);
    vline->setPen(QPen(t.foreground, 1.0, Qt::DotLine));
    auto *label = new QCPItemText(p);
    label->setPadding(QMargins(3, 2, 3, 2));
    label->setFont(themeFont(t, 0.85));
    label->setColor(t.foreground);
    label->setText(tr("current %1").arg(axisValueText(sw.axis, current)));
    // Beside the line, at the top, the bottom or the middle: where no curve or marker is.
    QVector<FigureLayout::Spot> spots;
    for (const double ratio : {0.0, 1.0, 0.5, 0.25, 0.75})
        for (const bool right : {true, false}) {
            const Qt::Alignment v = ratio == 0.0 ? Qt::AlignTop : ratio == 1.0 ? Qt::AlignBottom : Qt::AlignVCenter;
            spots.push_back({current, ratio, (right ? Qt::AlignLeft : Qt::AlignRight) | v, {right ? 2.0 : -2.0, 0}, false, true});
        }
    figureLayout()->addLabel(label, spots, true);
}

} // namespace mlastudio::ui
