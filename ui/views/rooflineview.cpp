// SPDX-License-Identifier: MIT
#include "views/rooflineview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/viewutil.h"

#include "mlastudio/core/evaluate.h"

#include <qcustomplot.h>

#include <QToolTip>

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
{
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
    m_caption = new QCPTextElement(p, QString());
    p->plotLayout()->addElement(0, 0, m_caption);
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, &RooflineView::onMouseMove);
    applyTheme(theme());
}

RooflineView::~RooflineView() = default;

void RooflineView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    m_hover.clear();
    const FigureTheme &t = theme();
    const Scenario *sc = scenario();
    const auto &results = sc->results();
    if (results.empty()) {
        showInvalidInputs();
        m_caption->setText(QString());
        p->xAxis->setRange(0.1, 1e4);
        p->yAxis->setRange(1e11, 1e16);
        return;
    }
    setMessage({});

    const Roofs r = roofsOf(sc->parameters());
    const double peakMax = std::max(r.peak16, r.peak8);
    const double ridge16 = r.peak16 / r.bw;
    const double ridge8 = r.peak8 > 0.0 ? r.peak8 / r.bw : 0.0;
    const double ridgeS = r.peak16 / r.sramBw;

    // Ranges from everything that will be drawn.
    double xLo = std::min(1.0, ridgeS), xHi = std::max({1e4, ridge16 * 10.0, ridge8 * 10.0});
    double yLo = std::numeric_limits<double>::infinity();
    const auto include = [&](double x, double y) {
        if (!(x > 0.0 && y > 0.0 && std::isfinite(x) && std::isfinite(y)))
            return false;
        xLo = std::min(xLo, x / 3.0);
        xHi = std::max(xHi, x * 3.0);
        yLo = std::min(yLo, y / 3.0);
        return true;
    };
    const bool showOps = sc->viewSettings().showOperators;
    for (const auto &res : results) {
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
    xLo = decadeBelow(xLo);
    xHi = decadeAbove(xHi);
    yLo = decadeBelow(std::min(yLo, r.bw * xLo));
    const double yHi = decadeAbove(peakMax * 4.0);
    p->xAxis->setRange(xLo, xHi);
    p->yAxis->setRange(yLo, yHi);

    // Shaded regions.
    const auto shade = [&](double x0, double x1, const QColor &c) {
        auto *rect = new QCPItemRect(p);
        rect->setLayer(QStringLiteral("shade"));
        rect->topLeft->setCoords(x0, yHi);
        rect->bottomRight->setCoords(x1, yLo);
        rect->setPen(Qt::NoPen);
        rect->setBrush(flatten(c, t.background));  // the shade layer lies under the grid: same look, no blending
    };
    shade(xLo, ridge16, t.shadeMemory);
    shade(ridge16, xHi, t.shadeCompute);

    const QFont font = themeFont(t);
    const QFont smallFont = themeFont(t, 0.85);
    const auto text = [&](double x, double y, const QString &s, Qt::Alignment align, const QColor &c, const QFont &f) {
        auto *item = new QCPItemText(p);
        item->position->setCoords(x, y);
        item->setPositionAlignment(align);
        item->setText(s);
        item->setFont(f);
        item->setColor(c);
        item->setPadding(QMargins(2, 1, 2, 1));
        return item;
    };
    const QColor faint = t.foreground.lighter(t.name == QLatin1String("dark") ? 80 : 250);
    text(ridge16 / 1.15, yLo * 1.3, tr("memory-bound"), Qt::AlignRight | Qt::AlignBottom,
         t.name == QLatin1String("dark") ? t.foreground.darker(150) : QColor(110, 110, 110), smallFont);
    text(ridge16 * 1.15, yLo * 1.3, tr("compute-bound"), Qt::AlignLeft | Qt::AlignBottom,
         t.name == QLatin1String("dark") ? t.foreground.darker(150) : QColor(110, 110, 110), smallFont);
    Q_UNUSED(faint)

    // Roofs.
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
    line({xLo, peakMax / r.bw}, {r.bw * xLo, peakMax}, roofPen, tr("DRAM roof"));
    line({ridge16, xHi}, {r.peak16, r.peak16}, roofPen, tr("compute roof (16-bit)"));
    if (r.peak8 > 0.0)
        line({ridge8, xHi}, {r.peak8, r.peak8}, QPen(t.foreground, lw, Qt::DashLine, Qt::FlatCap),
             tr("compute roof (8-bit)"));
    const QColor sramColor = t.foreground.lighter(t.name == QLatin1String("dark") ? 70 : 200);
    const double sramStart = std::max(xLo, yLo / r.sramBw);
    if (ridgeS > sramStart)
        line({sramStart, ridgeS}, {r.sramBw * sramStart, r.peak16}, QPen(sramColor, lw, Qt::DotLine, Qt::FlatCap),
             tr("on-chip roof"));

    // Roof values go into the caption; in the plot only short tags, and ridge labels on drop lines at
    // different heights near the bottom, away from the operating points and the legend.
    QString caption = tr("DRAM %1 · on-chip %2\npeak %3 (16-bit)")
                          .arg(si(r.bw, "B/s"), si(r.sramBw, "B/s"), si(r.peak16, "FLOP/s"));
    if (r.peak8 > 0.0)
        caption += tr(", %1 (8-bit)").arg(si(r.peak8, "FLOP/s"));
    if (sc->parameters().applyDerates)
        caption += tr(" · derated");
    m_caption->setText(caption);
    m_caption->setFont(themeFont(t, 0.9));
    m_caption->setTextColor(t.foreground);

    const double xLabel = xLo * 1.4;
    text(xLabel, r.bw * xLabel / 1.5, tr("DRAM"), Qt::AlignLeft | Qt::AlignTop, t.foreground, smallFont);
    if (ridgeS > sramStart && ridgeS > xLabel * 3.0) {
        const double xs = std::max(xLabel, sramStart * 1.3);
        if (r.sramBw * xs / 1.5 > r.bw * xs * 4.0)
            text(xs, r.sramBw * xs / 1.5, tr("on-chip"), Qt::AlignLeft | Qt::AlignTop, sramColor, smallFont);
    }
    text(xHi / 1.1, r.peak16 / 1.1, tr("16-bit"), Qt::AlignRight | Qt::AlignTop, t.foreground, smallFont);
    if (r.peak8 > 0.0)
        text(xHi / 1.1, r.peak8 * 1.1, tr("8-bit"), Qt::AlignRight | Qt::AlignBottom, t.foreground, smallFont);
    const auto ridgeMark = [&](double x, double yTop, double heightFraction, const QString &label, const QColor &c) {
        auto *drop = new QCPItemLine(p);
        drop->start->setCoords(x, yLo);
        drop->end->setCoords(x, yTop);
        drop->setPen(QPen(c, 1.0, Qt::DotLine));
        QCPItemText *item = text(x, yLo * std::pow(yHi / yLo, heightFraction), label, Qt::AlignHCenter | Qt::AlignBottom,
                                 c, smallFont);
        item->setBrush(QBrush(t.background));
    };
    ridgeMark(ridge16, r.peak16, 0.08, ridgeText(ridge16), t.foreground);
    if (r.peak8 > 0.0)
        ridgeMark(ridge8, r.peak8, 0.22, ridgeText(ridge8) + tr(" (8-bit)"), t.foreground);
    if (ridgeS > sramStart)
        ridgeMark(ridgeS, r.peak16, 0.15, tr("on-chip ") + ridgeText(ridgeS), sramColor);

    // Reference roofs and points, faded.
    if (sc->reference()) {
        const Roofs rr = roofsOf(*sc->reference());
        const double rPeak = std::max(rr.peak16, rr.peak8);
        QCPGraph *g = line({xLo, rPeak / rr.bw, xHi}, {rr.bw * xLo, rPeak, rPeak},
                           QPen(t.reference, std::max(1.0, lw * 0.7), Qt::DashLine), tr("reference roof"));
        Q_UNUSED(g)
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

    // Operating points of the visible schemes.
    const auto hoverText = [](const QString &what, double flops, double bytes, double intensity, double time, core::Bound b) {
        return QStringLiteral("<b>%1</b><br>FLOPs: %2<br>DRAM bytes: %3<br>Intensity: %4 FLOP/B<br>Time: %5<br>Bound: %6")
            .arg(what, si(flops, "FLOP"), si(bytes, "B"), QString::number(intensity, 'g', 3), si(time, "s"), boundName(b));
    };
    for (const auto &res : results) {
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
            m_hover.push_back({res.intensityFlopPerByte, y,
                               hoverText(schemeName(res.scheme) + tr(" · whole step"), res.flops, res.dramBytes,
                                         res.intensityFlopPerByte, res.timeS, res.bound)});
        }
    }

    // Measured points.
    const auto &measured = sc->measuredPoints();
    if (!measured.isEmpty()) {
        QCPGraph *g = p->addGraph();
        g->setName(tr("measured"));
        g->setLineStyle(QCPGraph::lsNone);
        g->setPen(QPen(t.foreground, std::max(1.5, lw)));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, t.markerSize * 1.2));
        QVector<QCPGraphData> data;
        int i = 0;
        for (const auto &m : measured) {
            if (!(m.intensityFlopPerByte > 0.0 && m.achievedFlopsPerS > 0.0))
                continue;
            data.push_back({m.intensityFlopPerByte, m.achievedFlopsPerS});
            if (!m.label.isEmpty()) {
                const bool up = (i++ % 2) == 0;
                QCPItemText *label = text(m.intensityFlopPerByte * 1.15, m.achievedFlopsPerS * (up ? 1.15 : 1 / 1.15),
                                          m.label, Qt::AlignLeft | (up ? Qt::AlignBottom : Qt::AlignTop), t.foreground,
                                          smallFont);
                label->setClipToAxisRect(true);
            }
            m_hover.push_back({m.intensityFlopPerByte, m.achievedFlopsPerS,
                               tr("<b>Measured: %1</b><br>Intensity: %2 FLOP/B<br>Achieved: %3")
                                   .arg(m.label.toHtmlEscaped()).arg(m.intensityFlopPerByte, 0, 'g', 3)
                                   .arg(si(m.achievedFlopsPerS, "FLOP/s"))});
        }
        std::sort(data.begin(), data.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
        g->data()->set(data, true);
    }
    Q_UNUSED(font)
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
