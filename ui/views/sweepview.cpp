// SPDX-License-Identifier: MIT
#include "views/sweepview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/fieldaxis.h"
#include "views/viewutil.h"

#include "mlastudio/core/units.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

// The groups in the control panel's order, so the axis list reads like the panel.
constexpr core::FieldGroup kGroups[] = {
    core::FieldGroup::Workload, core::FieldGroup::Hardware, core::FieldGroup::Precision, core::FieldGroup::Model,
    core::FieldGroup::Energy,   core::FieldGroup::Kernel,   core::FieldGroup::Parallelism,
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
    // Every numeric field can be the axis (core::SweepAxis is a core::Field).
    for (core::FieldGroup group : kGroups) {
        if (m_axisCombo->count() > 0)
            m_axisCombo->insertSeparator(m_axisCombo->count());
        for (const core::FieldInfo &f : core::allFields())
            if (f.group == group)
                m_axisCombo->addItem(fieldAxisLabel(f.field), int(f.field));
    }
    m_axisCombo->setMaxVisibleItems(20);
    m_axisCombo->setToolTip(tr("Parameter along the horizontal axis (saved with the scenario)"));
    connect(m_axisCombo, &QComboBox::activated, this, &SweepView::onAxisChosen);

    QCustomPlot *p = plot();
    setFieldAxis(p->xAxis, core::Field::KvLength, true);
    setLogAxis(p->yAxis);
    p->axisRect()->setupFullAxesBox(false);
    p->xAxis2->setTicks(false);
    p->yAxis2->setTicks(false);
    p->legend->setVisible(true);
}

SweepView::~SweepView() = default;

QString SweepView::referenceName(core::Scheme scheme)
{
    return tr("%1, reference").arg(schemeName(scheme));
}

void SweepView::onAxisChosen(int index)
{
    ViewSettings vs = scenario()->viewSettings();
    vs.throughputAxis = core::SweepAxis(m_axisCombo->itemData(index).toInt());
    if (vs.throughputAxis != scenario()->viewSettings().throughputAxis)
        scenario()->setViewSettings(vs);
}

void SweepView::placeLegend()
{
    // Put the legend in the corner with the fewest curve points (log coordinates).
    QCustomPlot *p = plot();
    const QCPRange xr = p->xAxis->range(), yr = p->yAxis->range();
    const bool logX = p->xAxis->scaleType() == QCPAxis::stLogarithmic;
    const auto fx = [&](double key) {
        return logX ? (std::log10(key) - std::log10(xr.lower)) / (std::log10(xr.upper) - std::log10(xr.lower))
                    : (key - xr.lower) / (xr.upper - xr.lower);
    };
    const double ly0 = std::log10(yr.lower), ly1 = std::log10(yr.upper);
    int counts[4] = {0, 0, 0, 0}; // TR, TL, BR, BL
    for (int i = 0; i < p->graphCount(); ++i) {
        const QCPGraph *g = p->graph(i);
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
            if (!std::isfinite(it->value) || it->value <= 0.0)
                continue;
            const double fy = (std::log10(it->value) - ly0) / (ly1 - ly0);
            const double f = fx(it->key);
            const bool right = f > 0.55, left = f < 0.45, top = fy > 0.6, bottom = fy < 0.4;
            if (top && right)
                ++counts[0];
            if (top && left)
                ++counts[1];
            if (bottom && right)
                ++counts[2];
            if (bottom && left)
                ++counts[3];
        }
    }
    const Qt::Alignment corners[4] = {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                      Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft};
    int best = 0;
    for (int i = 1; i < 4; ++i)
        if (counts[i] < counts[best])
            best = i;
    p->axisRect()->insetLayout()->setInsetAlignment(0, corners[best]);
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
    const core::SweepRange range = core::sweepRange(axis);
    setFieldAxis(p->xAxis, axis, range.logScale);
    p->xAxis->setLabel(fieldAxisLabel(axis));
    p->yAxis->setLabel(metricLabel());
    p->xAxis->setRange(range.min, range.max);

    if (sc->results().empty()) {
        showInvalidInputs();
        p->yAxis->setRange(1.0, 1e6);
        clearExtra();
        return;
    }
    setMessage({});
    const FigureTheme &t = theme();
    // Integer fields are evaluated at whole values only (ranks and dims at their slider's multiples
    // of 64); otherwise the rounding inside the model would draw stairs.
    const std::vector<double> xs = core::sweepAxisValues(axis, kPoints);
    double yLo = std::numeric_limits<double>::infinity(), yHi = 0.0;
    bool overflowShown = false;
    const auto addSeries = [&](const core::Parameters &params, core::Scheme scheme, const QPen &pen, const QString &name) {
        core::SweepSeries s;
        try {
            s = core::sweep(params, scheme, axis, xs);
        } catch (const std::exception &) {
            return static_cast<QCPGraph *>(nullptr);
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
                yLo = std::min(yLo, y);
                yHi = std::max(yHi, y);
            }
            const bool fit = !s.valid[i] || s.fitsInDram[i];
            const bool nextFit = i + 1 < s.x.size() && (!s.valid[i + 1] || s.fitsInDram[i + 1]);
            const bool prevFit = i > 0 && (!s.valid[i - 1] || s.fitsInDram[i - 1]);
            fits.push_back({s.x[i], fit || prevFit ? y : nan});
            overflows.push_back({s.x[i], !fit || !nextFit ? y : nan});
            anyOverflow |= !fit;
        }
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
            overflowShown = true;
        }
        return g;
    };

    // The pinned reference first, so the live curves draw on top: each scheme in its own colour,
    // lighter and dashed, named in the legend.
    if (sc->reference()) {
        for (const auto &res : sc->referenceResults()) {
            if (!sc->isSchemeVisible(res.scheme))
                continue;
            QPen pen(mix(t.schemeColor(res.scheme), t.background, 0.45), std::max(1.0, t.lineWidth * 0.8), Qt::DashLine);
            pen.setCapStyle(Qt::FlatCap);
            addSeries(*sc->reference(), res.scheme, pen, referenceName(res.scheme));
        }
    }
    const double current = core::axisValue(sc->parameters(), axis);
    const bool currentShown = range.logScale ? current > 0.0 : std::isfinite(current);
    for (const auto &res : sc->results()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        addSeries(sc->parameters(), res.scheme, t.schemePen(res.scheme, t.lineWidth),
                  schemeName(res.scheme) + (res.autoSelected ? tr(" (auto)") : QString()));
        const double y = seriesValue(res);
        if (std::isfinite(y) && y > 0.0 && currentShown) {
            auto *tracer = new QCPItemTracer(p);
            tracer->setStyle(QCPItemTracer::tsCircle);
            tracer->position->setCoords(current, y);
            tracer->setSize(t.markerSize * 1.4);
            tracer->setPen(QPen(t.schemeColor(res.scheme), std::max(1.0, t.lineWidth * 0.75)));
            tracer->setBrush(QBrush(t.schemeColor(res.scheme)));
            yLo = std::min(yLo, y);
            yHi = std::max(yHi, y);
        }
    }
    if (currentShown) {
        auto *vline = new QCPItemStraightLine(p);
        vline->point1->setCoords(current, 1.0);
        vline->point2->setCoords(current, 2.0);
        vline->setPen(QPen(t.foreground, 1.0, Qt::DotLine));
        auto *label = new QCPItemText(p);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(current, 0.0);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(3, 2, 3, 2));
        label->setFont(themeFont(t, 0.85));
        label->setColor(t.foreground);
        label->setText(tr("current %1").arg(qstr(core::formatFieldValue(core::fieldInfo(axis), current))));
    }
    if (overflowShown) {
        // A legend entry, not a free label: the legend is placed where it hides no curve.
        QCPGraph *key = p->addGraph();
        key->setName(tr("does not fit in DRAM"));
        key->setPen(QPen(t.foreground, std::max(1.0, t.lineWidth * 0.75), Qt::DotLine));
    }
    if (yHi > 0.0)
        p->yAxis->setRange(decadeBelow(yLo), decadeAbove(yHi * 1.01));
    else
        p->yAxis->setRange(1.0, 1e6);
    placeLegend();
    rebuildExtra();
}

} // namespace mlastudio::ui
