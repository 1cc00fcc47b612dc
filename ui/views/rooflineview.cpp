// SPDX-License-Identifier: MIT
#include "views/rooflineview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/figurelayout.h"
#include "views/markerstack.h"
#include "views/viewutil.h"

#include "mlastudio/core/evaluate.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

struct Roofs {
    double bw = 0.0;       // DRAM, derated if asked
    double sramBw = 0.0;
    double peak16 = 0.0;   // derated if asked
    double peak8 = 0.0;    // 0 when no distinct 8-bit peak
};

// The roofs of the projections (GEMM kernels); the core gives them (derated when asked).
Roofs roofsOf(const core::Parameters &p)
{
    const core::HardwareConfig &hw = p.hardware;
    const core::EffectiveRoofs e = core::effectiveRoofs(p, core::KernelClass::Gemm);
    Roofs r;
    r.bw = e.dramBytesPerS;
    r.sramBw = e.sramBytesPerS;
    r.peak16 = core::effectivePeakFlops(p, core::KernelClass::Gemm, 16);
    if (hw.peakFlopsFp8 > 0.0 && std::abs(hw.peakFlopsFp8 - hw.peakFlopsBf16) > 1e-9 * hw.peakFlopsBf16)
        r.peak8 = core::effectivePeakFlops(p, core::KernelClass::Gemm, 8);
    return r;
}

QString ridgeText(double ridge)
{
    return QObject::tr("ridge %1 FLOP/B").arg(QString::number(ridge, 'g', 3));
}

} // namespace

RooflineView::RooflineView(Scenario *scenario, QWidget *parent)
    : PlotView(scenario, parent)
    , m_operatorsBox(new QCheckBox(tr("&Operators"), this))
{
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    m_operatorsBox->setObjectName(QStringLiteral("showOperators"));
    m_operatorsBox->setToolTip(tr("Show each operator's point with its name (saved with the scenario)"));
    bar->addWidget(m_operatorsBox);
    bar->addStretch(1);
    mainLayout()->insertLayout(0, bar);
    connect(m_operatorsBox, &QCheckBox::toggled, this, [this](bool on) {
        ViewSettings vs = this->scenario()->viewSettings();
        if (vs.showOperators != on) {
            vs.showOperators = on;
            this->scenario()->setViewSettings(vs);
        }
    });

    QCustomPlot *p = plot();
    p->addLayer(QStringLiteral("shade"), p->layer(QStringLiteral("grid")), QCustomPlot::limBelow);
    setLogAxis(p->xAxis);
    setLogAxis(p->yAxis);
    p->xAxis->setLabel(tr("Arithmetic intensity (FLOP/byte)"));
    p->yAxis->setLabel(tr("Performance (FLOP/s)"));
    p->axisRect()->setupFullAxesBox(false);
    p->xAxis2->setTicks(false);
    p->yAxis2->setTicks(false);
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    p->plotLayout()->insertRow(0);
    m_caption = new cachedtext::TextElement(p, QString());
    p->plotLayout()->addElement(0, 0, m_caption);
    figureLayout()->addLegend(p->legend, p->axisRect());
    figureLayout()->setAxisTitles(p->xAxis, p->xAxis->label(), tr("Intensity (FLOP/B)"));  // a narrow dock
    figureLayout()->setAxisTitles(p->yAxis, p->yAxis->label(), tr("FLOP/s"));
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, &RooflineView::onMouseMove);
    applyTheme(theme());
}

RooflineView::~RooflineView() = default;

QCPItemText *RooflineView::addText(const QString &s, const QColor &c, const QFont &f)
{
    auto *item = new cachedtext::ItemText(plot());
    item->setText(s);
    item->setFont(f);
    item->setColor(c);
    item->setPadding(QMargins(2, 1, 2, 1));
    return item;
}

RooflineView::Frame RooflineView::computeFrame() const
{
    const Scenario *sc = scenario();
    const Roofs r = roofsOf(sc->parameters());
    Frame f;
    f.bw = r.bw;
    f.sramBw = r.sramBw;
    f.peak16 = r.peak16;
    f.peak8 = r.peak8;
    f.peakMax = std::max(r.peak16, r.peak8);
    f.ridge16 = r.peak16 / r.bw;
    f.ridge8 = r.peak8 > 0.0 ? r.peak8 / r.bw : 0.0;
    f.ridgeS = r.peak16 / r.sramBw;

    // Ranges from everything that will be drawn.
    f.xLo = std::min(1.0, f.ridgeS);
    f.xHi = std::max({1e4, f.ridge16 * 10.0, f.ridge8 * 10.0});
    double yLo = std::numeric_limits<double>::infinity();
    const auto include = [&](double x, double y) {
        if (!(x > 0.0 && y > 0.0 && std::isfinite(x) && std::isfinite(y)))
            return;
        f.xLo = std::min(f.xLo, x / 3.0);
        f.xHi = std::max(f.xHi, x * 3.0);
        yLo = std::min(yLo, y / 3.0);
    };
    const bool showOps = sc->viewSettings().showOperators;
    for (const auto &res : sc->results()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        include(res.intensityFlopPerByte, res.flops / res.timeS);
        if (showOps)
            for (const auto &op : res.operators)
                include(op.intensityFlopPerByte, op.cost.flops / op.timeS);
    }
    for (const auto &m : sc->measuredPoints())
        include(m.intensityFlopPerByte, m.achievedFlopsPerS);
    for (const auto &res : sc->referenceResults())
        if (sc->isSchemeVisible(res.scheme))
            include(res.intensityFlopPerByte, res.flops / res.timeS);
    f.xLo = decadeBelow(f.xLo);
    f.xHi = decadeAbove(f.xHi);
    f.yLo = decadeBelow(std::min(yLo, f.bw * f.xLo));
    f.yHi = decadeAbove(f.peakMax * 4.0);
    f.sramStart = std::max(f.xLo, f.yLo / f.sramBw);
    return f;
}

void RooflineView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    m_hover.clear();
    const Scenario *sc = scenario();
    {
        const QSignalBlocker block(m_operatorsBox);
        m_operatorsBox->setChecked(sc->viewSettings().showOperators);
    }
    if (sc->results().empty()) {
        showInvalidInputs();
        m_caption->setText(QString());
        p->xAxis->setRange(0.1, 1e4);
        p->yAxis->setRange(1e11, 1e16);
        return;
    }
    setMessage({});
    const Frame f = computeFrame();
    p->xAxis->setRange(f.xLo, f.xHi);
    p->yAxis->setRange(f.yLo, f.yHi);
    drawRegions(f);
    drawRoofs(f);
    labelRoofs(f);
    drawReference(f);
    drawOperatingPoints(f);
    drawMeasured();
}

void RooflineView::drawRegions(const Frame &f)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const auto shade = [&](double x0, double x1, const QColor &c) {
        auto *rect = new QCPItemRect(p);
        rect->setLayer(QStringLiteral("shade"));
        rect->topLeft->setCoords(x0, f.yHi);
        rect->bottomRight->setCoords(x1, f.yLo);
        rect->setPen(Qt::NoPen);
        rect->setBrush(flatten(c, t.background));  // the shade layer lies under the grid: same look, no blending
    };
    shade(f.xLo, f.ridge16, t.shadeMemory);
    shade(f.ridge16, f.xHi, t.shadeCompute);
    // Region names near the bottom, either side of the ridge (or higher up when the bottom is taken).
    const QFont small = themeFont(t, 0.85);
    FigureLayout *layout = figureLayout();
    QVector<FigureLayout::Spot> memSpots, compSpots;
    // Right of the 8-bit ridge too: its drop line stands just right of the 16-bit one.
    const double computeStart = std::max(f.ridge16, f.ridge8);
    for (double ratio : {0.98, 0.9, 0.8, 0.03, 0.12}) {
        const Qt::Alignment v = ratio > 0.5 ? Qt::AlignBottom : Qt::AlignTop;
        memSpots.push_back({f.ridge16, ratio, Qt::AlignRight | v, {-4, 0}, false, true});
        compSpots.push_back({f.ridge16, ratio, Qt::AlignLeft | v, {4, 0}, false, true});
        compSpots.push_back({computeStart, ratio, Qt::AlignLeft | v, {4, 0}, false, true});
    }
    layout->addLabel(addText(tr("memory-bound"), t.faintText, small), memSpots);
    layout->addLabel(addText(tr("compute-bound"), t.faintText, small), compSpots);
}

void RooflineView::drawRoofs(const Frame &f)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const auto line = [&](const QVector<double> &xs, const QVector<double> &ys, const QPen &pen, const QString &name) {
        QCPGraph *g = p->addGraph();
        g->setData(xs, ys, true);
        g->setPen(pen);
        g->setName(name);
        g->removeFromLegend();
        g->setSelectable(QCP::stNone);
        return g;
    };
    const double lw = t.lineWidth;
    const QPen roofPen(t.foreground, lw, Qt::SolidLine, Qt::FlatCap);
    line({f.xLo, f.peakMax / f.bw}, {f.bw * f.xLo, f.peakMax}, roofPen, tr("DRAM roof"));
    line({f.ridge16, f.xHi}, {f.peak16, f.peak16}, roofPen, tr("compute roof (16-bit)"));
    if (f.peak8 > 0.0)
        line({f.ridge8, f.xHi}, {f.peak8, f.peak8}, QPen(t.foreground, lw, Qt::DashLine, Qt::FlatCap), tr("compute roof (8-bit)"));
    if (f.ridgeS > f.sramStart)
        line({f.sramStart, f.ridgeS}, {f.sramBw * f.sramStart, f.peak16}, QPen(t.sramRoof, lw, Qt::DotLine, Qt::FlatCap),
             tr("on-chip roof"));
}

void RooflineView::labelRoofs(const Frame &f)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const Scenario *sc = scenario();
    // Roof values and ridges go into the caption; the plot carries short tags where they fit.
    QString caption = tr("DRAM %1 · on-chip %2 · peak %3 (16-bit)")
                          .arg(si(f.bw, "B/s"), si(f.sramBw, "B/s"), si(f.peak16, "FLOP/s"));
    if (f.peak8 > 0.0)
        caption += tr(", %1 (8-bit)").arg(si(f.peak8, "FLOP/s"));
    if (sc->parameters().applyDerates)
        caption += tr(" · derated");
    m_caption->setFont(themeFont(t, 0.9));
    m_caption->setTextColor(t.foreground);
    FigureLayout *layout = figureLayout();
    layout->setCaption(m_caption, caption);

    const QFont small = themeFont(t, 0.85);
    const double xLabel = f.xLo * 1.4;
    QVector<FigureLayout::Spot> dram;
    for (double x : {xLabel, xLabel * 2.0, xLabel * 4.0})
        dram << FigureLayout::Spot{x, f.bw * x, Qt::AlignLeft | Qt::AlignTop, {4, 2}}
             << FigureLayout::Spot{x, f.bw * x, Qt::AlignRight | Qt::AlignBottom, {-4, -2}};
    layout->addLabel(addText(tr("DRAM"), t.foreground, small), dram);
    if (f.ridgeS > f.sramStart) {
        QVector<FigureLayout::Spot> sram;
        for (double x : {f.sramStart * 1.3, f.sramStart * 2.0, f.sramStart * 4.0})
            if (x < f.ridgeS)
                sram << FigureLayout::Spot{x, f.sramBw * x, Qt::AlignRight | Qt::AlignBottom, {-4, -2}}
                     << FigureLayout::Spot{x, f.sramBw * x, Qt::AlignLeft | Qt::AlignTop, {4, 2}};
        layout->addLabel(addText(tr("on-chip"), t.sramRoof, small), sram);
    }
    layout->addLabel(addText(tr("16-bit"), t.foreground, small),
                     {{f.xHi, f.peak16, Qt::AlignRight | Qt::AlignTop, {-4, 3}},
                      {f.xHi, f.peak16, Qt::AlignRight | Qt::AlignBottom, {-4, -3}},
                      {f.ridge16 * 1.3, f.peak16, Qt::AlignLeft | Qt::AlignTop, {4, 3}}});
    if (f.peak8 > 0.0)
        layout->addLabel(addText(tr("8-bit"), t.foreground, small),
                         {{f.xHi, f.peak8, Qt::AlignRight | Qt::AlignBottom, {-4, -3}},
                          {f.ridge8 * 1.3, f.peak8, Qt::AlignLeft | Qt::AlignBottom, {4, -3}}});

    // Each ridge: a drop line, and its value beside the line at the first free height.
    const auto ridgeMark = [&](double x, double yTop, const QString &label, const QColor &c) {
        auto *drop = new QCPItemLine(p);
        drop->start->setCoords(x, f.yLo);
        drop->end->setCoords(x, yTop);
        drop->setPen(QPen(c, 1.0, Qt::DotLine));
        QVector<FigureLayout::Spot> spots;
        for (double h : {0.06, 0.16, 0.26, 0.36, 0.46, 0.56})
            for (const bool right : {true, false}) {
                const double y = f.yLo * std::pow(yTop / f.yLo, h);
                spots.push_back({x, y, (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, {right ? 3.0 : -3.0, 0}});
            }
        layout->addLabel(addText(label, c, small), spots, false, label);
    };
    ridgeMark(f.ridge16, f.peak16, ridgeText(f.ridge16), t.foreground);
    if (f.peak8 > 0.0)
        ridgeMark(f.ridge8, f.peak8, ridgeText(f.ridge8) + tr(" (8-bit)"), t.foreground);
    if (f.ridgeS > f.sramStart)
        ridgeMark(f.ridgeS, f.peak16, tr("on-chip ") + ridgeText(f.ridgeS), t.sramRoof);
}

void RooflineView::drawReference(const Frame &f)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const Scenario *sc = scenario();
    if (!sc->reference())
        return;
    const Roofs rr = roofsOf(*sc->reference());
    const double rPeak = std::max(rr.peak16, rr.peak8);
    QCPGraph *roof = p->addGraph();
    roof->setData({f.xLo, rPeak / rr.bw, f.xHi}, {rr.bw * f.xLo, rPeak, rPeak}, true);
    roof->setPen(QPen(t.reference, std::max(1.0, t.lineWidth * 0.7), Qt::DashLine));
    roof->setName(tr("reference roof"));
    roof->removeFromLegend();
    roof->setSelectable(QCP::stNone);
    QCPGraph *pts = nullptr;
    for (const auto &res : sc->referenceResults()) {
        if (!sc->isSchemeVisible(res.scheme) || !(res.intensityFlopPerByte > 0.0) || !(res.timeS > 0.0))
            continue;
        if (!pts) {
            pts = p->addGraph();
            pts->setName(tr("reference (pinned)"));
            pts->setLineStyle(QCPGraph::lsNone);
            pts->setPen(QPen(t.reference, 1.5));
            pts->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, t.reference, t.background, t.markerSize));
        }
        pts->addData(res.intensityFlopPerByte, res.flops / res.timeS);
        m_hover.push_back({res.intensityFlopPerByte, res.flops / res.timeS,
                           tr("<b>Reference: %1</b><br>%2 FLOP/B, %3").arg(schemeName(res.scheme))
                               .arg(res.intensityFlopPerByte, 0, 'g', 3).arg(si(res.flops / res.timeS, "FLOP/s"))});
    }
}

namespace {

QString hoverText(const QString &what, double flops, double bytes, double intensity, double time, core::Bound b)
{
    return QStringLiteral("<b>%1</b><br>FLOPs: %2<br>DRAM bytes: %3<br>Intensity: %4 FLOP/B<br>Time: %5<br>Bound: %6")
        .arg(what, si(flops, "FLOP"), si(bytes, "B"), QString::number(intensity, 'g', 3), si(time, "s"), boundName(b));
}

} // namespace

void RooflineView::drawOperatingPoints(const Frame &f)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const Scenario *sc = scenario();
    const bool showOps = sc->viewSettings().showOperators;
    struct OpLabel {
        QString name;
        double x, y;
        QColor color;
    };
    QVector<OpLabel> opLabels, pointLabels;
    QVector<QCPGraph *> points;  // the schemes' whole-step points, in the schemes' order
    QVector<QPointF> spots;
    for (const auto &res : sc->results()) {
        if (!sc->isSchemeVisible(res.scheme))
            continue;
        const QColor c = t.schemeColor(res.scheme);
        if (showOps) {
            QCPGraph *ops = p->addGraph();
            ops->setName(schemeName(res.scheme) + tr(" operators"));
            ops->removeFromLegend();
            ops->setLineStyle(QCPGraph::lsNone);
            ops->setPen(QPen(c, 1.2));
            ops->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, t.background, t.markerSize * 0.65));
            QVector<QCPGraphData> data;
            for (const auto &op : res.operators) {
                if (!(op.intensityFlopPerByte > 0.0) || !(op.cost.flops > 0.0) || !(op.timeS > 0.0))
                    continue;
                const double y = op.cost.flops / op.timeS;
                data.push_back({op.intensityFlopPerByte, y});
                m_hover.push_back({op.intensityFlopPerByte, y,
                                   hoverText(schemeName(res.scheme) + QStringLiteral(" · ") + operatorName(op.cost.kind),
                                             op.cost.flops, op.cost.dramBytes, op.intensityFlopPerByte, op.timeS, op.bound)});
                // The fused attention kernel differs per scheme; a projection shared by several
                // schemes at the same point gets one label in the ink colour.
                QString name = operatorName(op.cost.kind);
                if (op.cost.kind == core::OperatorKind::Attention)
                    name += QStringLiteral(" (") + schemeShortName(res.scheme) + QLatin1Char(')');
                auto same = std::find_if(opLabels.begin(), opLabels.end(), [&](const OpLabel &l) {
                    return l.name == name && std::abs(std::log10(l.x / op.intensityFlopPerByte)) < 0.01
                           && std::abs(std::log10(l.y / y)) < 0.01;
                });
                if (same == opLabels.end())
                    opLabels.push_back({name, op.intensityFlopPerByte, y, c});
                else if (same->color != c)
                    same->color = t.foreground;
            }
            std::sort(data.begin(), data.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
            ops->data()->set(data, true);
        }
        QCPGraph *g = p->addGraph();
        g->setName(schemeName(res.scheme) + (res.autoSelected ? tr(" (auto)") : QString()));
        g->setLineStyle(QCPGraph::lsNone);
        g->setPen(QPen(c, t.lineWidth));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, t.markerSize * 1.3));
        if (res.intensityFlopPerByte > 0.0 && res.timeS > 0.0) {
            const double y = res.flops / res.timeS;
            g->addData(res.intensityFlopPerByte, y);
            points << g;
            spots << QPointF(markerstack::shareOf(res.intensityFlopPerByte, f.xLo, f.xHi, true), markerstack::shareOf(y, f.yLo, f.yHi, true));
            if (directLabels())
                pointLabels.push_back({schemeName(res.scheme), res.intensityFlopPerByte, y, c});
            m_hover.push_back({res.intensityFlopPerByte, y,
                               hoverText(schemeName(res.scheme) + tr(" · whole step"), res.flops, res.dramBytes,
                                         res.intensityFlopPerByte, res.timeS, res.bound)});
        }
    }
    // Points at one spot (reuse and recompute on the compute roof in prefill) shrink in the schemes'
    // order and draw in that order, so each lies on the larger one and every point stays visible.
    // The smaller disc is a copy drawn right after the scheme's own graph, which stays for the
    // legend (at full size, like every entry) and the data, but is not drawn.
    const QVector<double> factors = markerstack::sizeFactors(spots);
    for (qsizetype i = 0; i < points.size(); ++i)
        if (factors[i] < 1.0) {
            QCPGraph *own = points[i];
            QCPGraph *small = p->addGraph();
            small->setName(own->name());  // the same series in CSV and JSON exports (the hidden one is skipped)
            small->removeFromLegend();
            small->setSelectable(QCP::stNone);
            small->setLineStyle(QCPGraph::lsNone);
            small->setPen(own->pen());
            QCPScatterStyle style = own->scatterStyle();
            style.setSize(style.size() * factors[i]);
            small->setScatterStyle(style);
            small->data()->set(*own->data());
            own->setVisible(false);
        }
    // Operator names go where they cover nothing; the rest stay in the hover text.
    const QFont small = themeFont(t, 0.75);
    // Direct labels first (the layout pass places them before the rest): beside the point, clear
    // of the roofs and of each other; a name with no free spot goes to the caption with its values
    // (points that share one spot of a roof, as in prefill).
    for (const OpLabel &l : pointLabels)
        figureLayout()->addPointLabel(addText(l.name, l.color, themeFont(t, 0.9)), l.x, l.y, t.markerSize * 0.65 + 3,
                                      tr("%1 at %2 FLOP/B, %3").arg(l.name, QString::number(l.x, l.x >= 100.0 ? 'f' : 'g', l.x >= 100.0 ? 0 : 3), si(l.y, "FLOP/s")));
    for (const OpLabel &l : opLabels)
        figureLayout()->addLabel(addText(l.name, l.color, small), FigureLayout::around(l.x, l.y, t.markerSize * 0.5 + 2));
}

void RooflineView::drawMeasured()
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const auto &measured = scenario()->measuredPoints();
    if (measured.isEmpty())
        return;
    QCPGraph *g = p->addGraph();
    g->setName(tr("measured"));
    g->setLineStyle(QCPGraph::lsNone);
    g->setPen(QPen(t.foreground, std::max(1.5, t.lineWidth)));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, t.markerSize * 1.2));
    QVector<QCPGraphData> data;
    const QFont small = themeFont(t, 0.85);
    for (const auto &m : measured) {
        if (!(m.intensityFlopPerByte > 0.0 && m.achievedFlopsPerS > 0.0))
            continue;
        data.push_back({m.intensityFlopPerByte, m.achievedFlopsPerS});
        if (!m.label.isEmpty())
            figureLayout()->addLabel(addText(m.label, t.foreground, small),
                                     FigureLayout::around(m.intensityFlopPerByte, m.achievedFlopsPerS, t.markerSize * 0.6 + 2));
        m_hover.push_back({m.intensityFlopPerByte, m.achievedFlopsPerS,
                           tr("<b>Measured: %1</b><br>Intensity: %2 FLOP/B<br>Achieved: %3")
                               .arg(m.label.toHtmlEscaped()).arg(m.intensityFlopPerByte, 0, 'g', 3)
                               .arg(si(m.achievedFlopsPerS, "FLOP/s"))});
    }
    std::sort(data.begin(), data.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
    g->data()->set(data, true);
}

void RooflineView::onMouseMove(QMouseEvent *event)
{
    QCustomPlot *p = plot();
    const QPointF pos = event->position();
    double best = 10.0 * 10.0;
    const HoverPoint *hit = nullptr;
    for (const HoverPoint &h : m_hover) {
        const double dx = p->xAxis->coordToPixel(h.x) - pos.x();
        const double dy = p->yAxis->coordToPixel(h.y) - pos.y();
        const double d2 = dx * dx + dy * dy;
        if (d2 < best) {
            best = d2;
            hit = &h;
        }
    }
    if (hit)
        QToolTip::showText(event->globalPosition().toPoint(), hit->text, p);
    else
        QToolTip::hideText();
}

} // namespace mlastudio::ui
