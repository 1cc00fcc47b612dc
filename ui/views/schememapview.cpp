// SPDX-License-Identifier: MIT
#include "views/schememapview.h"

#include "presetregistry.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/cachedtext.h"
#include "views/fieldaxis.h"
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/units.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QMouseEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace mlastudio::ui {

using namespace viewutil;

namespace {

constexpr double kBwMin = 1e9, kBwMax = 20e12;
constexpr double kComputeMin = 1e11, kComputeMax = 1e16;
constexpr double kMaxShadedSpeedup = 8.0;  // the darkest shade and the top of the colour bar

// The map's hue of a scheme: its usual colour, but MHA's black (or light grey on dark) would shade
// into the tie grey, so MHA takes the one Okabe–Ito hue no map scheme uses, a darkened yellow.
QColor mapColor(const FigureTheme &t, core::Scheme scheme)
{
    return scheme == core::Scheme::Mha ? QColor(0xD4, 0xB8, 0x00) : t.schemeColor(scheme);
}

// Lightest and darkest shade of a scheme's region: speed-up just over the tie rule to kMaxShadedSpeedup.
QColor lightShade(const QColor &c)
{
    return viewutil::mix(c, Qt::white, 0.7);
}

QColor darkShade(const QColor &c)
{
    return viewutil::mix(c, Qt::black, 0.1);
}

// The cells where the schemes tie (core::kTieFraction).
QColor tieColor(const FigureTheme &t)
{
    return viewutil::mix(t.foreground, t.background, 0.9);
}

// The colour map's cells: a scheme's region spans [index + 0.02, index + 0.98], shaded by the speed-up
// over the runner-up on a log scale up to kMaxShadedSpeedup; a tie is n + 0.5 (the tie grey).
void writeCells(QCPColorMapData *cells, const core::SchemeMap &map)
{
    const int n = int(map.schemes.size());
    const int rows = int(map.bestIndex.rows()), cols = int(map.bestIndex.cols());
    const Eigen::ArrayXXd &s = map.speedupOverRunnerUp;
    // Vectorised (no select, which Eigen evaluates cell by cell); non-finite speed-ups and ties are
    // set in the write loop below.
    const Eigen::ArrayXXd shade = n == 1 ? Eigen::ArrayXXd::Constant(rows, cols, 0.6)
                                         : Eigen::ArrayXXd((s.max(1.0).log() / std::log(kMaxShadedSpeedup)).max(0.0).min(1.0));
    const Eigen::ArrayXXd z = map.bestIndex.cast<double>() + 0.02 + 0.96 * shade;
    // Log-spaced cells are uniform in pixels on log axes, and QCPColorMap stretches the image
    // between the first and last cell in pixel space, so cell i lands on bandwidth i.
    cells->setSize(rows, cols);
    cells->setRange(QCPRange(map.bandwidthBytesPerS(0), map.bandwidthBytesPerS(rows - 1)),
                    QCPRange(map.computeFlopsPerS(0), map.computeFlopsPerS(cols - 1)));
    for (int j = 0; j < cols; ++j)
        for (int i = 0; i < rows; ++i) {
            const double speedup = s(i, j);
            double v = z(i, j);
            if (!std::isfinite(speedup))
                v = map.bestIndex(i, j) + 0.02 + 0.96 * 0.6;
            else if (n > 1 && core::isTie(speedup, 1.0))
                // A win by less than core::kTieFraction is a tie, not a region: the schemes then differ only in
                // a few kilobytes of activations, and colouring it would suggest a difference the model does not show.
                v = n + 0.5;
            cells->setCell(i, j, v);
        }
}

// The grid's axes at \p points per axis (SchemeMapView::kGrid or kDragGrid).
struct GridAxes {
    Eigen::ArrayXd bandwidth, compute;
};
const GridAxes &gridAxes(int points)
{
    const auto axes = [](int n) {
        const std::vector<double> bw = core::logSpace(kBwMin, kBwMax, n), comp = core::logSpace(kComputeMin, kComputeMax, n);
        return GridAxes{Eigen::Map<const Eigen::ArrayXd>(bw.data(), Eigen::Index(bw.size())),
                        Eigen::Map<const Eigen::ArrayXd>(comp.data(), Eigen::Index(comp.size()))};
    };
    static const GridAxes full = axes(SchemeMapView::kGrid), drag = axes(SchemeMapView::kDragGrid);
    return points == SchemeMapView::kDragGrid ? drag : full;
}

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
    // Axes in the sliders' units (GB/s, TFLOP/s); the grid and exports stay in SI units.
    setFieldAxis(p->xAxis, core::Field::DramBandwidth, true);
    setFieldAxis(p->yAxis, core::Field::PeakCompute, true);
    p->xAxis->setLabel(fieldAxisLabel(core::Field::DramBandwidth));
    p->yAxis->setLabel(fieldAxisLabel(core::Field::PeakCompute));
    figureLayout()->setAxisTitles(p->yAxis, fieldAxisLabel(core::Field::PeakCompute), tr("TFLOP/s"));
    p->xAxis->setRange(kBwMin, kBwMax);
    p->yAxis->setRange(kComputeMin, kComputeMax);
    p->axisRect()->setupFullAxesBox(false);
    p->xAxis2->setTicks(false);
    p->yAxis2->setTicks(false);
    p->legend->setVisible(true);
    p->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    figureLayout()->addLegend(p->legend, p->axisRect(), true);  // the map fills the rect: the legend goes below
    p->plotLayout()->insertRow(0);
    m_caption = new cachedtext::TextElement(p, tr("Fastest scheme; darker = larger speed-up over the runner-up; grey = tie"));
    p->plotLayout()->addElement(0, 0, m_caption);
    // The colour bar beside the map, aligned with its top and bottom.
    m_barRect = new QCPAxisRect(p, false);
    // All four axes exist (code that walks axis rects may ask for any); only the right one shows.
    m_barRect->addAxes(QCPAxis::atBottom | QCPAxis::atLeft | QCPAxis::atRight | QCPAxis::atTop);
    for (QCPAxis::AxisType side : {QCPAxis::atBottom, QCPAxis::atLeft, QCPAxis::atTop})
        m_barRect->axis(side)->setVisible(false);
    m_barRect->axis(QCPAxis::atRight)->setVisible(true);
    m_barRect->setRangeDrag(Qt::Orientations());
    m_barRect->setRangeZoom(Qt::Orientations());
    m_barRect->setMinimumMargins(QMargins(0, 0, 0, 0));  // no gap to the map beyond the layout's spacing
    p->plotLayout()->addElement(1, 1, m_barRect);
    p->plotLayout()->setColumnStretchFactor(1, 0.001);  // as narrow as its minimum: the map takes the width
    m_marginGroup = new QCPMarginGroup(p);
    p->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    m_barRect->setMarginGroup(QCP::msTop | QCP::msBottom, m_marginGroup);
    p->setMouseTracking(true);
    connect(p, &QCustomPlot::mouseMove, this, &SchemeMapView::onMouseMove);
    applyTheme(theme());
}

SchemeMapView::~SchemeMapView() = default;

void SchemeMapView::rebuild()
{
    clearContent();
    m_labels.clear();
    updateCaption();
    m_barRect->setVisible(false);
    if (scenario()->results().empty()) {
        clearMap();
        showInvalidInputs();
        return;
    }
    if (!computeMap()) {
        clearMap();
        return;
    }
    setMessage({});
    const QCPColorGradient gradient = drawColorMap();
    addLegendEntries(gradient);
    addPresetPoints();
    addReferencePoint();
    addCurrentPoint();
    placeLabels();
}

void SchemeMapView::clearMap()
{
    m_map = core::SchemeMap{};
    m_mapInputs.reset();
    m_colorMapCurrent = false;
    if (m_colorMap)
        plot()->removePlottable(m_colorMap);  // deletes it; nothing to draw
}

void SchemeMapView::updateCaption()
{
    const FigureTheme &t = theme();
    m_caption->setFont(themeFont(t, 0.95));
    m_caption->setTextColor(t.foreground);
    const QString scope = scopeCaption(scenario()->parameters());
    // The colour bar explains the shading; the caption names what is compared.
    // Through the layout pass, which wraps it to the figure's width (a narrow dock).
    figureLayout()->setCaption(m_caption, m_narrow ? tr("Fastest (%1) · bar: speed-up").arg(scope)
                                                   : tr("Fastest scheme (%1)").arg(scope));
}

bool SchemeMapView::computeMap()
{
    const Scenario *sc = scenario();
    std::vector<core::Scheme> schemes{core::Scheme::Mha};
    for (core::Scheme s : core::kMlaSchemes)
        if (sc->isSchemeVisible(s))
            schemes.push_back(s);
    try {
        // Only the grid is costly; moving a field the map does not read (its axes, the energies)
        // gives equal inputs, and equal inputs give the same map.
        // While a slider is held a new map is computed on the coarse grid (staleAfterDrag() asks for the
        // full one on release); a full map of equal inputs is kept, in drag mode too.
        core::SchemeMapInputs inputs = core::schemeMapInputs(sc->parameters(), schemes);
        const bool coarse = m_map.bestIndex.rows() != kGrid;
        if (!m_mapInputs || !(*m_mapInputs == inputs) || (coarse && !dragMode())) {
            m_mapInputs.reset();
            m_colorMapCurrent = false;
            const GridAxes &grid = gridAxes(dragMode() ? kDragGrid : kGrid);
            m_map = core::schemeMap(inputs, grid.bandwidth, grid.compute);
            m_mapInputs = std::move(inputs);
        }
    } catch (const std::exception &e) {
        setMessage(tr("Cannot compute the scheme map: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
    if (m_map.schemes.empty()) {
        setMessage(tr("No applicable scheme for this model"));
        return false;
    }
    return true;
}

QCPColorGradient SchemeMapView::drawColorMap()
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    const int n = int(m_map.schemes.size());
    if (!m_colorMap) {
        m_colorMap = new QCPColorMap(p->xAxis, p->yAxis);
        m_colorMap->setName(QString()); // exported by csvRows()
        m_colorMap->removeFromLegend();
        m_colorMap->setInterpolate(false);
        m_colorMap->setTightBoundary(false);
        m_colorMap->setLayer(QStringLiteral("background"));
        keepOnClear(m_colorMap);
        m_colorMapCurrent = false;
    }
    QCPColorMap *cm = m_colorMap;
    if (!m_colorMapCurrent) {
        writeCells(cm->data(), m_map);
        m_colorMapCurrent = true;
    }
    QCPColorGradient gradient;
    gradient.clearColorStops();
    gradient.setLevelCount(std::min(350 * n, 2000));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    for (int k = 0; k < n; ++k) {
        const QColor c = mapColor(t, m_map.schemes[std::size_t(k)]);
        gradient.setColorStopAt((k + 0.001) / (n + 1), lightShade(c));
        gradient.setColorStopAt((k + 0.999) / (n + 1), darkShade(c));
    }
    const QColor tie = tieColor(t);
    gradient.setColorStopAt((n + 0.001) / (n + 1), tie);
    gradient.setColorStopAt(1.0, tie);
    cm->setGradient(gradient);
    cm->setDataRange(QCPRange(0.0, double(n + 1)));
    return gradient;
}

// Legend entries: one per scheme in the map (empty graphs with a square marker), the colour bar, the tie.
void SchemeMapView::addLegendEntries(const QCPColorGradient &gradient)
{
    QCustomPlot *p = plot();
    const FigureTheme &t = theme();
    for (core::Scheme s : m_map.schemes) {
        QCPGraph *g = p->addGraph();
        g->setName(schemeName(s));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, darkShade(mapColor(t, s)), mapColor(t, s), t.markerSize * 1.2));
    }
    buildColorBar(gradient);
    if (m_map.schemes.size() > 1) {
        QCPGraph *tie = p->addGraph();
        tie->setName(tr("tie (within %1 %)").arg(qRound(core::kTieFraction * 100)));
        tie->setLineStyle(QCPGraph::lsNone);
        tie->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, t.foreground, tieColor(t), t.markerSize * 1.2));
    }
}

void SchemeMapView::addPointLabel(double x, double y, const QString &text, const QColor &color)
{
    const FigureTheme &t = theme();
    auto *item = new cachedtext::ItemText(plot());
    item->setText(text);
    item->setFont(themeFont(t, 0.8));
    item->setColor(color);
    item->setBrush(QBrush(QColor(t.background.red(), t.background.green(), t.background.blue(), 170)));
    item->setPadding(QMargins(2, 0, 2, 0));
    item->position->setType(QCPItemPosition::ptAbsolute);
    item->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_labels.push_back({x, y, item});
}

void SchemeMapView::addPresetPoints()
{
    if (m_presets.isEmpty())
        return;
    const FigureTheme &t = theme();
    QCPGraph *g = plot()->addGraph();
    g->setName(tr("hardware presets"));
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, t.foreground, t.background, t.markerSize * 0.7));
    g->setPen(QPen(t.foreground, 1.2));
    QVector<QCPGraphData> data;
    for (const PresetPoint &pp : m_presets) {
        data.push_back({pp.bandwidth, pp.compute});
        addPointLabel(pp.bandwidth, pp.compute, pp.label, t.foreground);
    }
    std::sort(data.begin(), data.end(), [](const auto &a, const auto &b) { return a.key < b.key; });
    g->data()->set(data, true);
}

// The pinned reference's hardware, faded.
void SchemeMapView::addReferencePoint()
{
    const Scenario *sc = scenario();
    if (!sc->reference())
        return;
    const FigureTheme &t = theme();
    const auto &hw = sc->reference()->hardware;
    QCPGraph *g = plot()->addGraph();
    g->setName(tr("reference (pinned)"));
    g->setLineStyle(QCPGraph::lsNone);
    g->setPen(QPen(t.reference, 1.5));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, t.reference, t.background, t.markerSize * 1.2));
    g->addData(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16);
}

void SchemeMapView::addCurrentPoint()
{
    const FigureTheme &t = theme();
    const auto &hw = scenario()->parameters().hardware;
    QCPGraph *cur = plot()->addGraph();
    cur->setName(tr("current"));
    cur->setLineStyle(QCPGraph::lsNone);
    cur->setPen(QPen(t.foreground, std::max(1.5, t.lineWidth)));
    cur->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, t.markerSize * 2.0));
    cur->addData(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16);
    addPointLabel(hw.dramBandwidthBytesPerS, hw.peakFlopsBf16, tr("current"), t.foreground);
    QFont bold = m_labels.back().item->font();
    bold.setBold(true);
    m_labels.back().item->setFont(bold);
}

// The shared layout pass places the labels, the current point's first and always shown; a
// preset label with no free spot is left out (hover the point or enlarge the figure).
void SchemeMapView::placeLabels()
{
    const FigureTheme &t = theme();
    std::rotate(m_labels.begin(), m_labels.end() - 1, m_labels.end());
    for (const Label &l : m_labels) {
        const bool current = &l == &m_labels.front();
        l.item->position->setType(QCPItemPosition::ptPlotCoords);
        l.item->position->setCoords(l.x, l.y);
        const double gap = t.markerSize * (current ? 1.0 : 0.4) + 3.0;
        figureLayout()->addLabel(l.item, FigureLayout::around(l.x, l.y, gap) + FigureLayout::around(l.x, l.y, gap * 2.5), current);
    }
}

void SchemeMapView::buildColorBar(const QCPColorGradient &gradient)
{
    // One column per scheme of the map, painted with the map's own gradient and cell values, so the
    // bar shows exactly the colours of the map; the right axis reads the speed-up.
    const FigureTheme &t = theme();
    const int n = int(m_map.schemes.size());
    m_barRect->setVisible(n > 1);
    if (n < 2)
        return;  // one scheme: nothing to compare, no shading
    m_barRect->setMinimumSize(QSize(int(std::lround(t.fontPointSize * 1.2)) * n, 0));
    m_barRect->setMaximumSize(QSize(int(std::lround(t.fontPointSize * 1.2)) * n, QWIDGETSIZE_MAX));
    constexpr int kRows = 64;
    const std::vector<double> speedups = core::logSpace(1.0 + core::kTieFraction, kMaxShadedSpeedup, kRows);
    auto *bar = new QCPColorMap(m_barRect->axis(QCPAxis::atBottom), m_barRect->axis(QCPAxis::atRight));
    bar->removeFromLegend();
    bar->setInterpolate(false);
    bar->setTightBoundary(true);
    bar->data()->setSize(n, kRows);
    bar->data()->setRange(QCPRange(0.0, double(n - 1)), QCPRange(speedups.front(), speedups.back()));
    const double logMax = std::log(kMaxShadedSpeedup);
    for (int k = 0; k < n; ++k)
        for (int j = 0; j < kRows; ++j)
            bar->data()->setCell(k, j, k + 0.02 + 0.96 * std::clamp(std::log(speedups[std::size_t(j)]) / logMax, 0.0, 1.0));
    bar->setGradient(gradient);
    bar->setDataRange(QCPRange(0.0, double(n + 1)));
    QCPAxis *x = m_barRect->axis(QCPAxis::atBottom);
    x->setRange(-0.5, n - 0.5);
    QCPAxis *y = m_barRect->axis(QCPAxis::atRight);
    y->setScaleType(QCPAxis::stLogarithmic);
    y->setRange(speedups.front(), speedups.back());
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTick(speedups.front(), QStringLiteral("%1×").arg(speedups.front(), 0, 'g', 3));
    for (double v : {2.0, 4.0, kMaxShadedSpeedup})
        ticker->addTick(v, QStringLiteral("%1×").arg(v, 0, 'f', 0));
    y->setTicker(ticker);
    y->setLabel(m_narrow ? QString() : tr("speed-up over runner-up"));  // narrow: the caption says it
    const QFont font = themeFont(t, 0.8);
    y->setTickLabelFont(font);
    y->setLabelFont(font);
    y->setTickLabelColor(t.foreground);
    y->setLabelColor(t.foreground);
    y->setBasePen(QPen(t.foreground, 0.8));
    y->setTickPen(QPen(t.foreground, 0.8));
    y->setSubTickPen(Qt::NoPen);
    y->grid()->setVisible(false);
}

void SchemeMapView::prepareForSize(const QSize &size)
{
    // A single-column figure has no width to spare for the colour bar's title: the caption carries it.
    const bool narrow = size.width() < 480;
    if (narrow == m_narrow)
        return;
    m_narrow = narrow;
    rebuild();
}

SchemeMapView::Readout SchemeMapView::readoutAt(int bandwidthIndex, int computeIndex) const
{
    Readout out;
    if (m_map.schemes.empty() || bandwidthIndex < 0 || computeIndex < 0 || bandwidthIndex >= m_map.bestIndex.rows()
        || computeIndex >= m_map.bestIndex.cols())
        return out;
    out.bandwidthBytesPerS = m_map.bandwidthBytesPerS(bandwidthIndex);
    out.computeFlopsPerS = m_map.computeFlopsPerS(computeIndex);
    // Evaluated afresh by the core at the cell, not read from the grid.
    const core::Parameters q = core::withAxisValue(core::withAxisValue(scenario()->parameters(), core::Field::DramBandwidth,
                                                                       out.bandwidthBytesPerS),
                                                   core::Field::PeakCompute, out.computeFlopsPerS);
    std::vector<core::StepResult> results;
    try {
        for (core::Scheme s : m_map.schemes)
            results.push_back(core::evaluate(q, s));
    } catch (const core::ModelError &) {
        return out;
    }
    std::vector<const core::StepResult *> ptrs;
    for (const core::StepResult &r : results) {
        out.schemes.push_back(r.scheme);
        out.timeS.push_back(r.timeS);
        ptrs.push_back(&r);
    }
    const std::vector<const core::StepResult *> leaders = core::leadingResults(ptrs);
    for (const core::StepResult *r : leaders)
        out.leaders.push_back(r->scheme);
    double runnerUp = 0.0;
    for (const core::StepResult *r : ptrs)
        if (r != leaders.front())
            runnerUp = std::max(runnerUp, r->tokensPerS);
    out.speedup = runnerUp > 0.0 ? leaders.front()->tokensPerS / runnerUp : 1.0;

    const auto fmt = [](core::Field f, double v) {
        return QString::fromStdString(core::formatFieldValue(core::fieldInfo(f), v));
    };
    QString text = QStringLiteral("<b>%1, %2</b><table>").arg(fmt(core::Field::DramBandwidth, out.bandwidthBytesPerS).toHtmlEscaped(),
                                                               fmt(core::Field::PeakCompute, out.computeFlopsPerS).toHtmlEscaped());
    for (std::size_t k = 0; k < out.schemes.size(); ++k)
        text += QStringLiteral("<tr><td>%1</td><td align='right'>&nbsp;%2</td></tr>")
                    .arg(schemeName(out.schemes[k]).toHtmlEscaped(), QString::fromStdString(core::formatSi(out.timeS[k], "s")).toHtmlEscaped());
    text += QStringLiteral("</table>");
    if (out.schemes.size() < 2)
        text += tr("Only %1 applies").arg(schemeName(out.schemes.front()));
    else if (out.leaders.size() > 1) {
        QStringList names;
        for (core::Scheme s : out.leaders)
            names << schemeName(s);
        text += tr("Tie (within %1 %): %2").arg(qRound(core::kTieFraction * 100)).arg(names.join(QStringLiteral(", ")));
    } else {
        text += tr("Fastest: <b>%1</b>, %2× the runner-up").arg(schemeName(out.leaders.front()).toHtmlEscaped(),
                                                                 QString::number(out.speedup, 'f', 2));
    }
    out.text = text;
    return out;
}

SchemeMapView::Readout SchemeMapView::readoutAtPixel(const QPointF &pos) const
{
    const QCustomPlot *p = plot();
    if (m_map.schemes.empty() || !p->axisRect()->rect().contains(pos.toPoint()))
        return {};
    const double bw = p->xAxis->pixelToCoord(pos.x()), c = p->yAxis->pixelToCoord(pos.y());
    // The grid is log-spaced over the axes' full range: nearest cell in log space.
    const auto index = [](const Eigen::ArrayXd &grid, double v) {
        const Eigen::Index n = grid.size();
        if (n < 2 || !(v > 0.0))
            return -1;
        const double f = (std::log(v) - std::log(grid(0))) / (std::log(grid(n - 1)) - std::log(grid(0)));
        return int(std::clamp<long>(std::lround(f * double(n - 1)), 0, long(n - 1)));
    };
    return readoutAt(index(m_map.bandwidthBytesPerS, bw), index(m_map.computeFlopsPerS, c));
}

void SchemeMapView::onMouseMove(QMouseEvent *event)
{
    const Readout r = readoutAtPixel(event->position());
    m_lastReadout = r.text;
    if (r.text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), r.text, plot());
}

bool SchemeMapView::staleAfterDrag() const
{
    return m_mapInputs && m_map.bestIndex.rows() != kGrid;
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
