// SPDX-License-Identifier: MIT
#include "views/sweepview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/fieldaxis.h"
#include "views/figurelayout.h"
#include "views/markerstack.h"
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
    figureLayout()->addLegend(p->legend, p->axisRect());
    connect(p, &QCustomPlot::afterLayout, this, &SweepView::stackCurrentMarkers);
}

void SweepView::stackCurrentMarkers()
{
    QVector<QCPItemTracer *> tracers;
    QVector<QPointF> at;
    for (const QPointer<QCPItemTracer> &t : std::as_const(m_tracers))
        if (t) {
            tracers << t;
            at << t->position->pixelPosition();
        }
    // Closer than half a marker (at least 3 px): a marker drawn over it would leave a sliver at most.
    const QVector<double> factors = markerstack::sizeFactors(at, std::max(3.0, m_tracerSize / 2.0));
    for (qsizetype i = 0; i < tracers.size(); ++i)
        tracers[i]->setSize(m_tracerSize * factors[i]);
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

void SweepView::rebuild()
{
    QCustomPlot *p = plot();
    const Scenario *sc = scenario();
    const core::SweepAxis axis = sc->viewSettings().throughputAxis;
    m_dragPoints = false;
    {
        const QSignalBlocker block(m_axisCombo);
        m_axisCombo->setCurrentIndex(m_axisCombo->findData(int(axis)));
    }
    clearContent();
    const core::SweepRange range = core::sweepRange(axis);
    setFieldAxis(p->xAxis, axis, range.logScale);
    p->xAxis->setLabel(fieldAxisLabel(axis));
    p->yAxis->setLabel(metricLabel());
    figureLayout()->setAxisTitles(p->yAxis, metricLabel(), briefMetricLabel());
    if (range.logScale)
        setPaddedLogRange(p->xAxis, range.min, range.max);
    else
        p->xAxis->setRange(range.min - 0.03 * (range.max - range.min), range.max + 0.03 * (range.max - range.min));

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
    m_dragPoints = dragMode();
    Sweep sw{axis, core::sweepAxisValues(axis, m_dragPoints ? kDragPoints : kPoints)};
    // The pinned reference first, so the live curves draw on top.
    drawReferenceCurves(sw);
    std::vector<std::pair<core::Scheme, QCPGraph *>> curves;
    for (const auto &res : sc->results())
        if (sc->isSchemeVisible(res.scheme))
            curves.emplace_back(res.scheme, addCurve(sw, false, res.scheme, t.schemePen(res.scheme, t.lineWidth),
                                                     schemeName(res.scheme) + (res.autoSelected ? tr(" (auto)") : QString())));
    markCurrentPoint(sw);
    if (directLabels())
        addDirectLabels(sw, curves);
    if (sw.overflowShown) {
        // A legend entry, not a free label: the legend is placed where it hides no curve.
        QCPGraph *key = p->addGraph();
        key->setName(tr("does not fit in DRAM"));
        key->setPen(QPen(t.foreground, std::max(1.0, t.lineWidth * 0.75), Qt::DotLine));
    }
    // With direct labels (presentation mode) the names on the curves are their key: the legend keeps
    // only what no label names (reference curves, the "does not fit" style) and goes when that is nothing.
    p->legend->setVisible(true);
    if (directLabels()) {
        for (const auto &[scheme, graph] : curves)
            if (graph)
                graph->removeFromLegend();
        p->legend->setVisible(p->legend->itemCount() > 0);
    }
    if (sw.yHi > 0.0)
        setPaddedLogRange(p->yAxis, decadeBelow(sw.yLo), decadeAbove(sw.yHi * 1.01));
    else
        p->yAxis->setRange(1.0, 1e6);
    rebuildExtra();
}

QCPGraph *SweepView::addCurve(Sweep &sw, bool ofReference, core::Scheme scheme, const QPen &pen, const QString &name)
{
    const core::SweepSeries *shared = nullptr;
    try {
        shared = &scenario()->sweep(ofReference, scheme, sw.axis, sw.xs);
    } catch (const std::exception &) {
        return nullptr;
    }
    const core::SweepSeries &s = *shared;
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
    // Each scheme in its own colour, lighter and dashed, named in the legend.
    const FigureTheme &t = theme();
    for (const auto &res : sc->referenceResults()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        QPen pen(mix(t.schemeColor(res.scheme), t.background, 0.45), std::max(1.0, t.lineWidth * 0.8), Qt::DashLine);
        pen.setCapStyle(Qt::FlatCap);
        addCurve(sw, true, res.scheme, pen, referenceName(res.scheme));
    }
}

void SweepView::markCurrentPoint(Sweep &sw)
{
    QCustomPlot *p = plot();
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    const double current = core::axisValue(sc->parameters(), sw.axis);
    const bool currentShown = core::sweepRange(sw.axis).logScale ? current > 0.0 : std::isfinite(current);
    QVector<QCPItemTracer *> tracers;
    for (const auto &res : sc->results()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        const double y = seriesValue(res);
        if (std::isfinite(y) && y > 0.0 && currentShown) {
            auto *tracer = new QCPItemTracer(p);
            tracer->setStyle(QCPItemTracer::tsCircle);
            tracer->position->setCoords(current, y);
            tracer->setSize(t.markerSize * 1.4);
            tracer->setPen(QPen(t.schemeColor(res.scheme), std::max(1.0, t.lineWidth * 0.75)));
            tracer->setBrush(QBrush(t.schemeColor(res.scheme)));
            tracers << tracer;
            sw.yLo = std::min(sw.yLo, y);
            sw.yHi = std::max(sw.yHi, y);
        }
    }
    // Those at one height (MHA and recompute at batch 1) shrink at each layout: stackCurrentMarkers().
    m_tracers.clear();
    for (QCPItemTracer *tracer : std::as_const(tracers))
        m_tracers << tracer;
    m_tracerSize = t.markerSize * 1.4;
    if (!currentShown)
        return;
    auto *vline = new QCPItemStraightLine(p);
    vline->point1->setCoords(current, 1.0);
    vline->point2->setCoords(current, 2.0);
    vline->setPen(QPen(t.foreground, 1.0, Qt::DotLine));
    auto *label = new cachedtext::ItemText(p);
    label->setPadding(QMargins(3, 2, 3, 2));
    label->setFont(themeFont(t, 0.85));
    label->setColor(t.foreground);
    label->setText(tr("current %1").arg(QString::fromStdString(core::formatFieldValue(core::fieldInfo(sw.axis), current))));
    // Beside the line, at the top, the bottom or the middle: where no curve or marker is.
    QVector<FigureLayout::Spot> spots;
    for (const double ratio : {0.0, 1.0, 0.5, 0.25, 0.75})
        for (const bool right : {true, false}) {
            const Qt::Alignment v = ratio == 0.0 ? Qt::AlignTop : ratio == 1.0 ? Qt::AlignBottom : Qt::AlignVCenter;
            spots.push_back({current, ratio, (right ? Qt::AlignLeft : Qt::AlignRight) | v, {right ? 2.0 : -2.0, 0}, false, true});
        }
    figureLayout()->addLabel(label, spots, true);
}

void SweepView::addDirectLabels(const Sweep &sw, const std::vector<std::pair<core::Scheme, QCPGraph *>> &curves)
{
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    const double current = core::axisValue(sc->parameters(), sw.axis);
    const double gap = t.markerSize * 0.5 + 3.0;
    for (const auto &[scheme, graph] : curves) {
        // Candidate anchors along the whole curve (its "does not fit" part too), right end first
        // (where the eye ends a line), then at the current point's marker; at each, above or below
        // the curve first, then diagonally and beside it.
        QVector<QPointF> anchors;
        QVector<QPointF> drawn;
        try {
            if (graph) {
                const core::SweepSeries &s = sc->sweep(false, scheme, sw.axis, sw.xs);  // addCurve()'s, shared
                for (std::size_t i = 0; i < s.x.size(); ++i)
                    if (const double y = s.valid[i] ? seriesValue(s, i) : 0.0; std::isfinite(y) && y > 0.0)
                        drawn.push_back({s.x[i], y});
            }
        } catch (const std::exception &) {
            // no curve: the current point's spots only
        }
        if (!drawn.isEmpty())
            for (const double at : {0.95, 0.8, 0.65, 0.5, 0.35, 0.2, 0.05})
                anchors.push_back(drawn[qsizetype(std::lround(at * double(drawn.size() - 1)))]);
        if (const core::StepResult *r = sc->result(scheme); r && std::isfinite(seriesValue(*r)) && seriesValue(*r) > 0.0)
            anchors.push_back({current, seriesValue(*r)});
        if (anchors.isEmpty())
            continue;
        QVector<FigureLayout::Spot> spots;
        for (const QPointF &a : anchors) {
            spots.push_back({a.x(), a.y(), Qt::AlignHCenter | Qt::AlignBottom, {0, -gap}});
            spots.push_back({a.x(), a.y(), Qt::AlignHCenter | Qt::AlignTop, {0, gap}});
            spots += FigureLayout::around(a.x(), a.y(), gap);  // the diagonals clear a steep curve
        }
        auto *label = new cachedtext::ItemText(plot());
        label->setText(schemeName(scheme));
        label->setFont(themeFont(t, 0.9));
        label->setColor(t.schemeColor(scheme));
        label->setPadding(QMargins(2, 1, 2, 1));
        // Kept: in presentation mode the names are the key (the legend drops these curves).
        figureLayout()->addLabel(label, spots, true);
    }
}

} // namespace mlastudio::ui
