// SPDX-License-Identifier: MIT
#include "views/schememapview.h"

#include "presetregistry.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include "mlastudio/core/evaluate.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

constexpr double kBwMin = 1e9, kBwMax = 20e12;
constexpr double kComputeMin = 1e11, kComputeMax = 1e16;

} // namespace

SchemeMapView::SchemeMapView(Scenario *scenario, QWidget *parent)
    : PlotView(scenario, parent)
{
    // Shipped presets: coincident points (e.g. H100 and H800) share one label.
    try {
        const PresetRegistry registry;
        for (const auto &hw : registry.hardware()) {
            const double bw = hw.config.dramBandwidthBytesPerS, c = hw.config.peakFlopsBf16;
            if (!(bw >= kBwMin && bw <= kBwMax && c >= kComputeMin && c <= kComputeMax))
                continue;
            const QString id = QString::fromStdString(hw.config.id);
            auto it = std::find_if(m_presets.begin(), m_presets.end(), [&](const PresetPoint &p) {
                return std::abs(p.bandwidth / bw - 1.0) < 1e-6 && std::abs(p.compute / c - 1.0) < 1e-6;
            });
            if (it != m_presets.end())
                it->label += QStringLiteral(" / ") + id;
            else
                m_presets.push_back({id, bw, c});
        }
    } catch (const std::exception &) {
        // No presets: the map still works.
    }

    QCustomPlot *p = plot();
    setLogAxis(p->xAxis);
    setLogAxis(p->yAxis);
    p->xAxis->setLabel(tr("DRAM bandwidth (B/s)"));
    p->yAxis->setLabel(tr("Peak compute, 16-bit (FLOP/s)"));
    p->xAxis->setRange(kBwMin, kBwMax);
    p->yAxis->setRange(kComputeMin, kComputeMax);
    p->axisRect()->setupFullAxesBox(false);
    p->xAxis2->setTicks(false);
    p->yAxis2->setTicks(false);
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    figureLayout()->addLegend(p->legend, p->axisRect(), true);  // the map fills the rect: the legend goes below
    p->plotLayout()->insertRow(0);
    m_caption = new QCPTextElement(p, tr("Fastest scheme; darker = larger speed-up over the runner-up; grey = tie"));
    p->plotLayout()->addElement(0, 0, m_caption);
    applyTheme(theme());
}

SchemeMapView::~SchemeMapView() = default;

void SchemeMapView::rebuild()
{
    QCustomPlot *p = plot();
    clearContent();
    m_labels.clear();
    m_map = core::SchemeMap{};
    const FigureTheme &t = theme();
    m_caption->setFont([&] {
        QFont f = themeFont(t, 0.95);
        return f;
    }());
    m_caption->setTextColor(t.foreground);
    const Scenario *sc = scenario();
    if (sc->results().empty()) {
        showInvalidInputs();
        return;
    }

    std::vector<core::Scheme> schemes{core::Scheme::Mha};
    for (core::Scheme s : core::kMlaSchemes)
        if (sc->isSchemeVisible(s))
            schemes.push_back(s);
    const std::vector<double> bw = core::logSpace(kBwMin, kBwMax, kGrid);
    const std::vector<double> comp = core::logSpace(kComputeMin, kComputeMax, kGrid);
    try {
        m_map = core::schemeMap(sc->parameters(), schemes, Eigen::Map<const Eigen::ArrayXd>(bw.data(), Eigen::Index(bw.size())),
                                Eigen::Map<const Eigen::ArrayXd>(comp.data(), Eigen::Index(comp.size())));
    } catch (const std::exception &e) {
        setMessage(tr("Cannot compute the scheme map: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    const int n = int(m_map.schemes.size());
    if (n == 0 || m_map.bestIndex.rows() != kGrid || m_map.bestIndex.cols() != kGrid) {
        setMessage(tr("No applicable scheme for this model"));
        return;
    }
    setMessage({});

    auto *cm = new QCPColorMap(p->xAxis, p->yAxis);
    cm->setName(QString()); // exported by csvRows()
    cm->removeFromLegend();
    cm->setInterpolate(false);
    cm->setTightBoundary(false);
    cm->setLayer(QStringLiteral("background"));
    cm->data()->setSize(kGrid, kGrid);
    cm->data()->setRange(QCPRange(bw.front(), bw.back()), QCPRange(comp.front(), comp.back()));
    // Log-spaced cells are uniform in pixels on log axes, and QCPColorMap stretches the image
    // between the first and last cell in pixel space, so cell i lands on bw[i].
    // A win by less than core::kTieFraction is a tie, not a region: the schemes then differ only in a few
    // kilobytes of activations, and colouring it would suggest a difference the model does not show.
    const double logMaxSpeedup = std::log(8.0);
    for (int i = 0; i < kGrid; ++i)
        for (int j = 0; j < kGrid; ++j) {
            const int best = m_map.bestIndex(i, j);
            const double s = m_map.speedupOverRunnerUp(i, j);
            if (n > 1 && std::isfinite(s) && core::isTie(s, 1.0)) {
                cm->data()->setCell(i, j, n + 0.5);
                continue;
            }
            const double frac = n == 1 || !std::isfinite(s) ? 0.6 : std::clamp(std::log(std::max(1.0, s)) / logMaxSpeedup, 0.0, 1.0);
            cm->data()->setCell(i, j, best + 0.02 + 0.96 * frac);
        }
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setLevelCount(std::min(350 * n, 2000));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    for (int k = 0; k < n; ++k) {
        const QColor c = t.schemeColor(m_map.schemes[std::size_t(k)]);
        gradient.setColorStopAt((k + 0.001) / (n + 1), mix(c, Qt::white, 0.78));
        gradient.setColorStopAt((k + 0.999) / (n + 1), mix(c, Qt::white, 0.05));
    }
    const QColor tieColor = mix(t.foreground, t.background, 0.9);
    gradient.setColorStopAt((n + 0.001) / (n + 1), tieColor);
    gradient.setColorStopAt(1.0, tieColor);
    cm->setGradient(gradient);
    cm->setDataRange(QCPRange(0.0, double(n + 1)));

    // Legend entries: one per scheme in the map (empty graphs with a square marker).
    for (core::Scheme s : m_map.schemes) {
        QCPGraph *g = p->addGraph();
        g->setName(schemeName(s));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, t.schemeColor(s), t.schemeColor(s), t.markerSize * 1.2));
    }
    if (n > 1) {
        QCPGraph *tie = p->addGraph();
        tie->setName(tr("tie (within %1 %)").arg(qRound(core::kTieFraction * 100)));
        tie->setLineStyle(QCPGraph::lsNone);
        tie->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, t.foreground, tieColor, t.markerSize * 1.2));
    }

    const QFont labelFont = themeFont(t, 0.8);
    const auto addLabel = [&](double x, double y, const QString &text, const QColor &color) {
        auto *item = new QCPItemText(p);
        item->setText(text);
        item->setFont(labelFont);
        item->setColor(color);
        item->setBrush(QBrush(QColor(t.background.red(), t.background.green(), t.background.blue(), 170)));
        item->setPadding(QMargins(2, 0, 2, 0));
        item->position->setType(QCPItemPosition::ptAbsolute);
        item->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        m_labels.push_back({x, y, item});
    };

    // Presets.
    if (!m_presets.isEmpty()) {
        QCPGraph *g = p->addGraph();
        g->setName(tr("hardware presets"));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, t.foreground, t.background, t.markerSize * 0.7));
        g->setPen(QPen(t.foreground, 1.2));
        QVector<QCPGraphData> data;
        for (const PresetPoint &pp : m_presets) {
            data.push_back({pp.bandwidth, pp.compute});
            addLabel(pp.bandwidth, pp.compute, pp.label, t.foreground);
        }
        std::sort(data.begin(), data.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
        g->data()->set(data, true);
    }
    // Reference hardware, faded.
    if (sc->reference()) {
        const auto &hw = sc->reference()->hardware;
        QCPGraph *g = p->addGraph();
        g->setName(tr("reference (pinned)"));
        g->setLineStyle(QCPGraph::lsNone);
        g->setPen(QPen(t.reference, 1.5));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, t.reference, t.background, t.markerSize * 1.2));
        g->addData(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16);
    }
    // Current point.
    const auto &hw = sc->parameters().hardware;
    QCPGraph *cur = p->addGraph();
    cur->setName(tr("current"));
    cur->setLineStyle(QCPGraph::lsNone);
    cur->setPen(QPen(t.foreground, std::max(1.5, t.lineWidth)));
    cur->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, t.markerSize * 2.0));
    cur->addData(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16);
    QFont bold = labelFont;
    bold.setBold(true);
    addLabel(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16, tr("current"), t.foreground);
    m_labels.back().item->setFont(bold);
    // The shared layout pass places the labels, the current point's first and always shown; a
    // preset label with no free spot is left out (hover the point or enlarge the figure).
    std::rotate(m_labels.begin(), m_labels.end() - 1, m_labels.end());
    for (const Label &l : m_labels) {
        const bool current = &l == &m_labels.front();
        l.item->position->setType(QCPItemPosition::ptPlotCoords);
        l.item->position->setCoords(l.x, l.y);
        const double gap = t.markerSize * (current ? 1.0 : 0.4) + 3.0;
        figureLayout()->addLabel(l.item, FigureLayout::around(l.x, l.y, gap) + FigureLayout::around(l.x, l.y, gap * 2.5), current);
    }
}

QStringList SchemeMapView::csvRows() const
{
    QStringList rows{QStringLiteral("dram_bandwidth_Bps,compute_flops,fastest,speedup_over_runner_up")};
    if (m_map.schemes.empty())
        return rows;
    for (Eigen::Index i = 0; i < m_map.bestIndex.rows(); ++i)
        for (Eigen::Index j = 0; j < m_map.bestIndex.cols(); ++j)
            rows << QString::number(m_map.bandwidthBytesPerS(i), 'g', 8) + QLatin1Char(',')
                        + QString::number(m_map.computeFlopsPerS(j), 'g', 8) + QLatin1Char(',')
                        + schemeIdString(m_map.schemes[std::size_t(m_map.bestIndex(i, j))]) + QLatin1Char(',')
                        + QString::number(m_map.speedupOverRunnerUp(i, j), 'g', 6);
    return rows;
}

nlohmann::json SchemeMapView::dataJson() const
{
    nlohmann::json j = nlohmann::json::object();
    std::vector<std::string> schemes;
    for (core::Scheme s : m_map.schemes)
        schemes.emplace_back(core::schemeId(s));
    j["schemes"] = schemes;
    j["bandwidth_Bps"] = std::vector<double>(m_map.bandwidthBytesPerS.begin(), m_map.bandwidthBytesPerS.end());
    j["compute_flops"] = std::vector<double>(m_map.computeFlopsPerS.begin(), m_map.computeFlopsPerS.end());
    nlohmann::json best = nlohmann::json::array(), speed = nlohmann::json::array();
    for (Eigen::Index i = 0; i < m_map.bestIndex.rows(); ++i) {
        std::vector<int> b;
        std::vector<double> s;
        for (Eigen::Index k = 0; k < m_map.bestIndex.cols(); ++k) {
            b.push_back(m_map.bestIndex(i, k));
            s.push_back(m_map.speedupOverRunnerUp(i, k));
        }
        best.push_back(b);
        speed.push_back(s);
    }
    j["fastest_index"] = best;   // [bandwidth][compute]
    j["speedup_over_runner_up"] = speed;
    return j;
}

} // namespace mlastudio::ui
