// SPDX-License-Identifier: MIT
#include "views/memoryview.h"

#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

// The key's words on expert parallelism, empty at EP = 1.
QString expertParallelNote(const core::Parameters &params)
{
    const int ep = params.parallel.expert;
    if (ep <= 1)
        return {};
    // EP regroups the same devices for the routed experts only (docs/model.md §13): each holds E/EP of
    // them whole, which is where its weights shrink; attention-only scopes have no experts to split.
    if (params.scope != core::Scope::Model)
        return MemoryView::tr(" · EP %1: no effect (attention only)").arg(ep);
    return MemoryView::tr(" · EP %1: %2 of %3 experts/device").arg(ep).arg(params.model.routedExperts / ep).arg(params.model.routedExperts);
}

} // namespace

MemoryView::MemoryView(Scenario *scenario, QWidget *parent)
    : PlotView(scenario, parent)
{
    QCustomPlot *p = plot();
    m_capacityRect = new QCPAxisRect(p);
    setSidePanel(m_capacityRect, 0.5);
    for (QCPAxisRect *rect : {p->axisRect(0), m_capacityRect}) {
        setLogAxis(rect->axis(QCPAxis::atLeft));
        rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
    }
    p->yAxis->setLabel(tr("KV cache / token (B)"));
    figureLayout()->setAxisTitles(p->yAxis, tr("KV cache / token (B)"), tr("KV/token (B)"));
    figureLayout()->setAxisTitles(m_capacityRect->axis(QCPAxis::atLeft), tr("DRAM needed (B)"), tr("DRAM (B)"));
    p->legend->setVisible(false);
    applyTheme(theme());
}

MemoryView::~MemoryView() = default;

void MemoryView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    QCPAxis *k1 = p->xAxis, *v1 = p->yAxis;
    QCPAxis *k2 = m_capacityRect->axis(QCPAxis::atBottom), *v2 = m_capacityRect->axis(QCPAxis::atLeft);
    const auto &params = sc->parameters();
    v2->setLabel(tr("DRAM needed (B)"));
    if (sc->results().empty()) {
        showInvalidInputs();
        for (QCPAxis *a : {k1, k2})
            a->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
        v1->setRange(1e3, 1e6);
        v2->setRange(1e9, 1e12);
        return;
    }
    setMessage({});

    std::vector<const core::StepResult *> shown;
    for (const auto &res : sc->results())
        if (sc->isSchemeVisible(res.scheme))
            shown.push_back(&res);
    QSharedPointer<QCPAxisTickerText> ticker1(new QCPAxisTickerText), ticker2(new QCPAxisTickerText);
    const QFont small = themeFont(t, 0.8);
    const auto text = [&](QCPAxis *key, QCPAxis *value, double x, double y, const QString &s, Qt::Alignment align) {
        auto *item = new cachedtext::ItemText(p);
        item->setClipAxisRect(key->axisRect());
        item->position->setAxes(key, value);
        item->position->setCoords(x, y);
        item->setPositionAlignment(align);
        item->setTextAlignment(Qt::AlignCenter);
        item->setText(s);
        item->setFont(small);
        item->setColor(t.foreground);
        return item;
    };

    const double capacity = params.hardware.dramCapacityBytes;
    double lo1 = std::numeric_limits<double>::infinity(), hi1 = 0.0;
    double lo2 = capacity, hi2 = capacity;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const core::StepResult &res = *shown[i];
        const double key = double(i + 1);
        const QColor c = t.schemeColor(res.scheme);
        ticker1->addTick(key, schemeShortName(res.scheme));
        ticker2->addTick(key, schemeShortName(res.scheme));

        auto *perToken = new QCPBars(k1, v1);
        perToken->setName(tr("KV cache per token (B): %1").arg(schemeIdString(res.scheme)));
        perToken->setBaseValue(1.0);
        perToken->setWidth(0.6);
        perToken->setPen(QPen(t.foreground, 0.8));
        perToken->setBrush(c);
        // One device's share under tensor/data parallelism (the whole model on one device otherwise).
        const core::DeviceMemory &dev = res.perDevice;
        perToken->addData(key, dev.kvCacheBytesPerToken);
        QCPItemText *perTokenLabel = text(k1, v1, key, dev.kvCacheBytesPerToken, si(dev.kvCacheBytesPerToken, "B"), Qt::AlignHCenter | Qt::AlignBottom);
        figureLayout()->addLabel(perTokenLabel, {{key, dev.kvCacheBytesPerToken, Qt::AlignHCenter | Qt::AlignBottom, {0, -2}},
                                                 {key, dev.kvCacheBytesPerToken, Qt::AlignHCenter | Qt::AlignTop, {0, 2}}}, true);
        lo1 = std::min(lo1, dev.kvCacheBytesPerToken);
        hi1 = std::max(hi1, dev.kvCacheBytesPerToken);

        auto *weights = new QCPBars(k2, v2);
        weights->setName((res.scope == core::Scope::Model ? tr("model weights (B): %1") : tr("attention weights (B): %1"))
                             .arg(schemeIdString(res.scheme)));
        weights->setBaseValue(1.0);
        weights->setWidth(0.6);
        weights->setPen(QPen(t.foreground, 0.8));
        weights->setBrush(t.weightBar);
        weights->addData(key, std::max(1.0, dev.weightBytes));
        auto *cache = new QCPBars(k2, v2);
        cache->setName(tr("KV cache (B): %1").arg(schemeIdString(res.scheme)));
        cache->setWidth(0.6);
        cache->setPen(QPen(t.foreground, 0.8));
        cache->setBrush(c);
        const double deviceCache = dev.dramNeededBytes - dev.weightBytes;
        cache->addData(key, deviceCache);
        cache->moveAbove(weights);
        const double total = std::max(1.0, dev.weightBytes) + deviceCache;
        const QString fit = res.maxBatch > 0 ? tr("B ≤ %1").arg(res.maxBatch) : tr("no fit");
        QCPItemText *label = text(k2, v2, key, total, si(dev.dramNeededBytes, "B") + QLatin1Char('\n') + fit,
                                  Qt::AlignHCenter | Qt::AlignBottom);
        if (!res.fitsInDram)
            label->setColor(t.warning);
        // On the bar, or above the capacity line when the line runs through that spot.
        figureLayout()->addLabel(label, {{key, total, Qt::AlignHCenter | Qt::AlignBottom, {0, -2}},
                                         {key, std::max(total, capacity), Qt::AlignHCenter | Qt::AlignBottom, {0, -3}},
                                         {key, std::max(total, capacity) * 4.0, Qt::AlignHCenter | Qt::AlignBottom, {0, -3}},
                                         {key, capacity, Qt::AlignHCenter | Qt::AlignTop, {0, 3}}}, true);
        lo2 = std::min(lo2, std::max(1.0, dev.weightBytes));
        hi2 = std::max(hi2, total);
    }
    // Pinned reference: faded markers at its values.
    drawReferenceMarkers(shown, &lo1, &hi1, &hi2);
    drawCapacityLine();

    for (QCPAxis *a : {k1, k2}) {
        a->setTickLabelRotation(shown.size() > 4 ? 35 : 0);
        a->setRange(0.4, double(shown.size()) + 0.6);
    }
    k1->setTicker(ticker1);
    k2->setTicker(ticker2);
    if (hi1 > 0.0)
        v1->setRange(decadeBelow(lo1 / 2.0), decadeAbove(hi1 * 3.0));
    // Two decades of headroom keep the bar labels and the key clear of each other.
    v2->setRange(decadeBelow(lo2 / 2.0), decadeAbove(hi2 * 30.0));
}

void MemoryView::drawReferenceMarkers(const std::vector<const core::StepResult *> &shown, double *lo1, double *hi1, double *hi2)
{
    const Scenario *sc = scenario();
    const FigureTheme &t = theme();
    QCustomPlot *p = plot();
    QCPAxis *k1 = p->xAxis, *v1 = p->yAxis;
    QCPAxis *k2 = m_capacityRect->axis(QCPAxis::atBottom), *v2 = m_capacityRect->axis(QCPAxis::atLeft);
    if (!sc->reference())
        return;
    QCPGraph *g1 = nullptr, *g2 = nullptr;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        const auto &rr = sc->referenceResults();
        auto it = std::find_if(rr.begin(), rr.end(), [&](const auto &r) { return r.scheme == shown[i]->scheme; });
        if (it == rr.end())
            continue;
        if (!g1) {
            g1 = new QCPGraph(k1, v1);
            g2 = new QCPGraph(k2, v2);
            for (QCPGraph *g : {g1, g2}) {
                g->setLineStyle(QCPGraph::lsNone);
                g->setPen(QPen(t.reference, 2.0));
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, t.reference, t.background, t.markerSize * 1.2));
            }
            g1->setName(tr("reference KV cache per token (B)"));
            g2->setName(tr("reference DRAM needed (B)"));
        }
        g1->addData(double(i + 1), it->perDevice.kvCacheBytesPerToken);
        g2->addData(double(i + 1), it->dramNeededBytes);
        *lo1 = std::min(*lo1, it->perDevice.kvCacheBytesPerToken);
        *hi1 = std::max(*hi1, it->perDevice.kvCacheBytesPerToken);
        *hi2 = std::max(*hi2, it->dramNeededBytes);
    }
}

void MemoryView::drawCapacityLine()
{
    // The DRAM capacity as a dashed line, and one key line for it instead of labels on the plot.
    const FigureTheme &t = theme();
    QCustomPlot *p = plot();
    QCPAxis *k2 = m_capacityRect->axis(QCPAxis::atBottom), *v2 = m_capacityRect->axis(QCPAxis::atLeft);
    const auto &params = scenario()->parameters();
    const double capacity = params.hardware.dramCapacityBytes;
    const QFont small = themeFont(t, 0.8);
    auto *cap = new QCPItemStraightLine(p);
    cap->setClipAxisRect(m_capacityRect);
    cap->point1->setAxes(k2, v2);
    cap->point2->setAxes(k2, v2);
    cap->point1->setCoords(0.0, capacity);
    cap->point2->setCoords(1.0, capacity);
    cap->setPen(QPen(t.warning, std::max(1.0, t.lineWidth * 0.75), Qt::DashLine));
    auto *key = new cachedtext::ItemText(p);
    key->setClipAxisRect(m_capacityRect);
    key->position->setAxisRect(m_capacityRect);
    key->position->setType(QCPItemPosition::ptAxisRectRatio);
    key->position->setCoords(0.02, 0.02);
    key->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    key->setTextAlignment(Qt::AlignLeft);
    key->setFont(small);
    key->setColor(t.foreground);
    // One key line instead of labels on the plot: bar labels and the capacity line would collide.
    const int devices = std::max(1, params.parallel.tensor) * std::max(1, params.parallel.data);
    // EP goes on the first, shortest line: one more line would not fit a single-column figure.
    key->setText(tr("B = %1, L = %2").arg(params.workload.batch).arg(params.workload.kvLength) + expertParallelNote(params)
                 + tr("\ngrey: %2 · dashed: DRAM %1")
                       .arg(si(capacity, "B"))
                       .arg(params.scope == core::Scope::Model ? tr("model weights") : tr("attention weights"))
                 + (devices > 1 ? tr("\none device of %1 (TP %2 × DP %3) · B ≤ for the system")
                                      .arg(devices).arg(params.parallel.tensor).arg(params.parallel.data)
                                : QString()));
    QVector<FigureLayout::Spot> corners;
    for (const Qt::Alignment a : {Qt::AlignLeft | Qt::AlignTop, Qt::AlignRight | Qt::AlignTop, Qt::AlignLeft | Qt::AlignBottom,
                                  Qt::AlignRight | Qt::AlignBottom})
        corners.push_back({a.testFlag(Qt::AlignLeft) ? 0.0 : 1.0, a.testFlag(Qt::AlignTop) ? 0.0 : 1.0, a,
                           {a.testFlag(Qt::AlignLeft) ? 4.0 : -4.0, a.testFlag(Qt::AlignTop) ? 3.0 : -3.0}, true, true});
    figureLayout()->addLabel(key, corners, true);

}

} // namespace mlastudio::ui
