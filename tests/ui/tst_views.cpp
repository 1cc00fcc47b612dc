// SPDX-License-Identifier: MIT
#include "plotlookup.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/energyview.h"
#include "views/explainview.h"
#include "views/memoryview.h"
#include "views/rooflineview.h"
#include "views/schememapview.h"
#include "views/plotexporter.h"
#include "views/throughputview.h"
#include "views/validationview.h"
#include "views/viewfactory.h"
#include "views/viewutil.h"

#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/serving.h"
#include "mlastudio/core/sweep.h"
#include "mlastudio/core/units.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QDir>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace mlastudio;
using namespace mlastudio::ui;

namespace {

using test::graphNamed;
using test::relClose;

// Every data value of every graph and bar is finite (gaps are NaN only in sweep curves).
int nanCount(QCustomPlot *plot)
{
    int n = 0;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        if (auto *g = qobject_cast<QCPGraph *>(plot->plottable(i)))
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                n += std::isfinite(it->value) && std::isfinite(it->key) ? 0 : 1;
        if (auto *b = qobject_cast<QCPBars *>(plot->plottable(i)))
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                n += std::isfinite(it->value) ? 0 : 1;
    }
    return n;
}

} // namespace

class TestViews : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void rooflineMatchesResults();
    void rooflineFollowsBandwidth();
    void rooflineOperatorsAndMeasured();
    void throughputMatchesSweep();
    void throughputAxisComboGoesThroughScenario();
    void energyBreakdownSumsToTotal();
    void schemeMapGrid();
    void schemeMapKeptWhileOnlyAnAxisMoves();
    void schemeMapCoarseWhileDragging();
    void sweepCurvesCoarseWhileDragging();
    void memoryBars();
    void explainHtml();
    void explainAttentionShare();
    void explainServingRows();
    void explainKeepsNoStaleFigures();
    void explainStatesTheTie();
    void invalidInputsShowMessage();
    void referenceIsDrawn();
    void throughputAndEnergyShareOneSweep();
    void sweepAlongTheMovedFieldIsKept();
    void themesApply();
    void mhaVisibleOnDark();
    void validationShowsTheShippedSet();
    void validationFollowsTheDerateToggle();
    void validationHoverAndExport();
    void validationOfOtherFiles();
};

void TestViews::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestViews::rooflineMatchesResults()
{
    Scenario sc;
    RooflineView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("roofline"));
    QVERIFY(!sc.results().empty());
    QVERIFY(!view.isShowingMessage());
    int checked = 0;
    for (const auto &r : sc.results()) {
        QCPGraph *g = graphNamed(view.plot(), schemeName(r.scheme) + (r.autoSelected ? QStringLiteral(" (auto)") : QString()));
        if (!sc.isSchemeVisible(r.scheme)) {
            QVERIFY(!g);
            continue;
        }
        QVERIFY2(g, qPrintable(schemeName(r.scheme)));
        QCOMPARE(g->dataCount(), 1);
        QVERIFY(relClose(g->data()->at(0)->key, r.intensityFlopPerByte));
        QVERIFY(relClose(g->data()->at(0)->value, r.flops / r.timeS));
        ++checked;
    }
    QVERIFY(checked > 0);
    QCPGraph *roof = graphNamed(view.plot(), QStringLiteral("DRAM roof"));
    QVERIFY(roof);
    const double bw = sc.parameters().hardware.dramBandwidthBytesPerS;
    QVERIFY(relClose(roof->data()->at(0)->value / roof->data()->at(0)->key, bw));
    QCOMPARE(view.plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(view.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
    QCOMPARE(nanCount(view.plot()), 0);
}

void TestViews::rooflineFollowsBandwidth()
{
    Scenario sc;
    RooflineView view(&sc);
    const double bw = sc.parameters().hardware.dramBandwidthBytesPerS;
    sc.setField(core::Field::DramBandwidth, bw * 2.0);
    QCPGraph *roof = graphNamed(view.plot(), QStringLiteral("DRAM roof"));
    QVERIFY(roof);
    QVERIFY(relClose(roof->data()->at(0)->value / roof->data()->at(0)->key, bw * 2.0));
    // Every visible operating point still sits on the new results.
    for (const auto &r : sc.results()) {
        if (!sc.isSchemeVisible(r.scheme))
            continue;
        QCPGraph *g = graphNamed(view.plot(), schemeName(r.scheme) + (r.autoSelected ? QStringLiteral(" (auto)") : QString()));
        QVERIFY(g);
        QVERIFY(relClose(g->data()->at(0)->value, r.flops / r.timeS));
    }
}

void TestViews::rooflineOperatorsAndMeasured()
{
    Scenario sc;
    RooflineView view(&sc);
    const int before = view.plot()->graphCount();
    ViewSettings vs = sc.viewSettings();
    vs.showOperators = true;
    sc.setViewSettings(vs);
    QVERIFY(view.plot()->graphCount() > before);
    sc.setMeasuredPoints({{50.0, 2e14, QStringLiteral("run 1")}, {200.0, 5e14, QStringLiteral("run 2")}});
    QCPGraph *m = graphNamed(view.plot(), QStringLiteral("measured"));
    QVERIFY(m);
    QCOMPARE(m->dataCount(), 2);
    QCOMPARE(nanCount(view.plot()), 0);
}

void TestViews::throughputMatchesSweep()
{
    Scenario sc;
    ThroughputView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("throughput"));
    const core::SweepAxis axis = sc.viewSettings().throughputAxis;
    const std::vector<double> xs = core::logSpace(128.0, 1024.0 * 1024.0, SweepView::kPoints);
    QCOMPARE(axis, core::SweepAxis::KvLength);
    int checked = 0;
    for (const auto &r : sc.results()) {
        if (!sc.isSchemeVisible(r.scheme))
            continue;
        QCPGraph *g = graphNamed(view.plot(), schemeName(r.scheme) + (r.autoSelected ? QStringLiteral(" (auto)") : QString()));
        QVERIFY(g);
        QCOMPARE(g->dataCount(), SweepView::kPoints);
        const core::SweepSeries s = core::sweep(sc.parameters(), r.scheme, axis, xs);
        // Points that do not fit in DRAM are drawn by a second, dotted graph of the same scheme.
        QCPGraph *over = graphNamed(view.plot(), g->name() + QStringLiteral(" (does not fit in DRAM)"));
        for (int i = 0; i < g->dataCount(); ++i) {
            const auto k = std::size_t(i);
            const bool fits = s.fitsInDram[k];
            QVERIFY(fits || over);
            const double y = (fits ? g : over)->data()->at(i)->value;
            if (s.valid[k])
                QVERIFY(relClose(y, s.tokensPerS[k]));
            else
                QVERIFY(std::isnan(y));
        }
        ++checked;
    }
    QVERIFY(checked > 0);

    // Bandwidth changes move the curve.
    QCPGraph *first = nullptr;
    for (int i = 0; i < view.plot()->graphCount() && !first; ++i)
        if (view.plot()->graph(i)->dataCount() == SweepView::kPoints)
            first = view.plot()->graph(i);
    QVERIFY(first);
    const QString name = first->name();
    // The shortest context fits in DRAM for every scheme, so its point is on the solid graph.
    const double before = first->data()->at(0)->value;
    QVERIFY(std::isfinite(before));
    sc.setField(core::Field::DramBandwidth, sc.parameters().hardware.dramBandwidthBytesPerS / 4.0);
    QCPGraph *after = graphNamed(view.plot(), name);
    QVERIFY(after);
    QVERIFY(after->data()->at(0)->value < before);
}

void TestViews::throughputAxisComboGoesThroughScenario()
{
    Scenario sc;
    ThroughputView view(&sc);
    EnergyView energy(&sc);
    QComboBox *combo = view.axisCombo();
    const int idx = combo->findData(int(core::SweepAxis::Batch));
    QVERIFY(idx >= 0);
    combo->setCurrentIndex(idx);
    Q_EMIT combo->activated(idx);
    QCOMPARE(sc.viewSettings().throughputAxis, core::SweepAxis::Batch);
    // The energy view follows the shared setting.
    QCOMPARE(energy.axisCombo()->currentData().toInt(), int(core::SweepAxis::Batch));
    // The batch range 1 to 4096, widened by 3 % of its 3.6 decades at each end (markers stay whole).
    QCOMPARE(view.plot()->xAxis->range().lower, 1.0 / std::pow(4096.0, 0.03));
    QCOMPARE(view.plot()->xAxis->range().upper, 4096.0 * std::pow(4096.0, 0.03));
    QVERIFY(std::abs(view.plot()->xAxis->range().lower - 0.7792) < 1e-4);
    sc.undoStack()->undo();
    QCOMPARE(sc.viewSettings().throughputAxis, core::SweepAxis::KvLength);
    QCOMPARE(combo->currentData().toInt(), int(core::SweepAxis::KvLength));
}

void TestViews::energyBreakdownSumsToTotal()
{
    Scenario sc;
    EnergyView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("energy"));
    std::vector<const core::StepResult *> shown;
    for (const auto &r : sc.results())
        if (sc.isSchemeVisible(r.scheme))
            shown.push_back(&r);
    QVERIFY(!shown.empty());
    std::vector<double> sums(shown.size(), 0.0);
    int bars = 0;
    for (int i = 0; i < view.plot()->plottableCount(); ++i) {
        auto *b = qobject_cast<QCPBars *>(view.plot()->plottable(i));
        if (!b)
            continue;
        ++bars;
        QCOMPARE(b->keyAxis()->axisRect(), view.breakdownRect());
        for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
            sums[std::size_t(std::lround(it->key)) - 1] += it->value;
    }
    QCOMPARE(bars, 4);
    for (std::size_t i = 0; i < shown.size(); ++i)
        QVERIFY(relClose(sums[i], shown[i]->energyPerTokenJ, 1e-6));
}

void TestViews::schemeMapGrid()
{
    Scenario sc;
    SchemeMapView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("scheme-map"));
    QCOMPARE(int(view.map().bestIndex.rows()), SchemeMapView::kGrid);
    QCOMPARE(int(view.map().bestIndex.cols()), SchemeMapView::kGrid);
    QVERIFY(!view.map().schemes.empty());
    QCOMPARE(view.map().schemes.front(), core::Scheme::Mha);
    bool hasMap = false;
    for (int i = 0; i < view.plot()->plottableCount(); ++i)
        hasMap = hasMap || qobject_cast<QCPColorMap *>(view.plot()->plottable(i));
    QVERIFY(hasMap);
    QVERIFY(graphNamed(view.plot(), QStringLiteral("hardware presets")));
    QCPGraph *cur = graphNamed(view.plot(), QStringLiteral("current"));
    QVERIFY(cur);
    QVERIFY(relClose(cur->data()->at(0)->key, sc.parameters().hardware.dramBandwidthBytesPerS));
    QVERIFY(view.csvRows().size() == 1 + SchemeMapView::kGrid * SchemeMapView::kGrid);
}

namespace {

QCPColorMap *colorMapOf(QCustomPlot *plot)
{
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto *cm = qobject_cast<QCPColorMap *>(plot->plottable(i)))
            return cm;
    return nullptr;
}

// The view's map and colour-map cells are those of a view built afresh on the same scenario.
bool sameAsFresh(Scenario &sc, SchemeMapView &view)
{
    SchemeMapView fresh(&sc);
    const core::SchemeMap &a = view.map(), &b = fresh.map();
    if (a.schemes != b.schemes || a.timeS.size() != b.timeS.size() || !(a.bestIndex == b.bestIndex).all()
        || !(a.speedupOverRunnerUp == b.speedupOverRunnerUp).all())
        return false;
    for (std::size_t s = 0; s < a.timeS.size(); ++s)
        if (!(a.timeS[s] == b.timeS[s]).all())
            return false;
    QCPColorMap *cv = colorMapOf(view.plot()), *cf = colorMapOf(fresh.plot());
    if (!cv || !cf || cv->data()->keySize() != SchemeMapView::kGrid || cf->data()->valueSize() != SchemeMapView::kGrid)
        return false;
    for (int i = 0; i < SchemeMapView::kGrid; ++i)
        for (int j = 0; j < SchemeMapView::kGrid; ++j)
            if (cv->data()->cell(i, j) != cf->data()->cell(i, j))
                return false;
    return true;
}

// The view's figure, PNG and SVG, is byte for byte that of a view built afresh.
bool sameFigureAsFresh(Scenario &sc, SchemeMapView &view)
{
    SchemeMapView fresh(&sc);
    ExportOptions o;
    o.sizePreset = SizePreset::SingleColumn;
    o.dpi = 150;
    QString error;
    const QByteArray svg = PlotExporter::renderPlot(&view, o, ExportFormat::Svg, &error);
    return PlotExporter::renderImage(&view, o) == PlotExporter::renderImage(&fresh, o) && error.isEmpty()
        && !svg.isEmpty() && svg == PlotExporter::renderPlot(&fresh, o, ExportFormat::Svg, &error);
}

// The view's CSV and JSON, exported while a slider is held, are a fresh view's (the full data), and
// the export leaves the view in drag mode.
bool sameDataAsFresh(PlotView &view, PlotView &fresh)
{
    for (ExportFormat f : {ExportFormat::Csv, ExportFormat::Json}) {
        QString error;
        const QByteArray data = PlotExporter::renderData(&view, f, &error);
        if (data.isEmpty() || data != PlotExporter::renderData(&fresh, f, &error) || !view.dragMode())
            return false;
    }
    return true;
}

} // namespace

// Moving a field the map does not read (its axes, an energy) keeps the computed grid; any other field,
// a scheme toggled or invalid inputs recompute it. Either way it equals a map computed afresh.
void TestViews::schemeMapKeptWhileOnlyAnAxisMoves()
{
    Scenario sc;
    sc.setApplyDerates(true);
    sc.setField(core::Field::KvLength, 16384);
    sc.setField(core::Field::Batch, 8);
    SchemeMapView view(&sc);
    QVERIFY(view.map().schemes.size() >= 2);
    const double *grid = view.map().timeS[0].data();
    const core::SchemeMap first = view.map();
    // Its axes and an energy: the same map, not recomputed (the same storage).
    sc.setField(core::Field::DramBandwidth, 0.9e12);
    sc.setField(core::Field::EnergyDram, 40e-12);
    for (double tflops : {120.0, 2400.0, 7.5, 989.0})
        sc.setField(core::Field::PeakCompute, tflops * 1e12);
    QCOMPARE(view.map().timeS[0].data(), grid);
    QVERIFY(sameAsFresh(sc, view));
    QVERIFY(sameFigureAsFresh(sc, view));
    sc.setTheme(ThemeId::Dark);  // another gradient on the same cells
    QVERIFY(sameFigureAsFresh(sc, view));
    // The current point follows the axis that moved.
    QCPGraph *cur = graphNamed(view.plot(), QStringLiteral("current"));
    QVERIFY(cur);
    QCOMPARE(cur->data()->at(0)->key, 0.9e12);
    QVERIFY(relClose(cur->data()->at(0)->value, 989e12));
    // A field the map reads: recomputed, and different.
    sc.setField(core::Field::KvLength, 65536);
    QVERIFY(view.map().timeS[0].data() != grid);
    QVERIFY(!(view.map().timeS[0] == first.timeS[0]).all());
    QVERIFY(sameAsFresh(sc, view));
    // A scheme hidden: one scheme fewer.
    const std::size_t shown = view.map().schemes.size();
    sc.setSchemeVisible(view.map().schemes.back(), false);
    QCOMPARE(view.map().schemes.size(), shown - 1);
    QVERIFY(sameAsFresh(sc, view));
    // Invalid inputs empty the map; valid again, the map is back and right.
    sc.setField(core::Field::QueryLength, 100000);
    QVERIFY(view.map().schemes.empty());
    QVERIFY(view.isShowingMessage());
    sc.setField(core::Field::QueryLength, 1);
    QVERIFY(!view.map().schemes.empty());
    QVERIFY(sameAsFresh(sc, view));
    QVERIFY(sameFigureAsFresh(sc, view));
}

// While a slider is held a new map is computed on the coarse grid, over the same range; releasing
// computes the full grid again, and exports (figure and data) are those of the full map throughout.
void TestViews::schemeMapCoarseWhileDragging()
{
    Scenario sc;
    sc.setField(core::Field::KvLength, 16384);
    sc.setField(core::Field::Batch, 8);
    SchemeMapView view(&sc);
    const core::SchemeMap full = view.map();
    QCOMPARE(int(full.bestIndex.rows()), SchemeMapView::kGrid);
    view.setDragMode(true);
    // An axis moves: the full map of equal inputs stays (the same storage).
    const double *grid = view.map().timeS[0].data();
    sc.setField(core::Field::DramBandwidth, 2.5e12);
    QCOMPARE(view.map().timeS[0].data(), grid);
    QCOMPARE(int(view.map().bestIndex.rows()), SchemeMapView::kGrid);

    // A field the map reads: the coarse grid, log-spaced over the full grid's range.
    sc.setField(core::Field::KvLength, 131072);
    const core::SchemeMap &coarse = view.map();
    QCOMPARE(int(coarse.bestIndex.rows()), SchemeMapView::kDragGrid);
    QCOMPARE(int(coarse.bestIndex.cols()), SchemeMapView::kDragGrid);
    QVERIFY(relClose(coarse.bandwidthBytesPerS(0), full.bandwidthBytesPerS(0), 1e-12));
    QVERIFY(relClose(coarse.bandwidthBytesPerS(SchemeMapView::kDragGrid - 1), full.bandwidthBytesPerS(SchemeMapView::kGrid - 1), 1e-12));
    QVERIFY(relClose(coarse.computeFlopsPerS(SchemeMapView::kDragGrid - 1), full.computeFlopsPerS(SchemeMapView::kGrid - 1), 1e-12));
    const double step = coarse.bandwidthBytesPerS(1) / coarse.bandwidthBytesPerS(0);
    for (int i = 1; i < SchemeMapView::kDragGrid; ++i)
        QVERIFY(relClose(coarse.bandwidthBytesPerS(i) / coarse.bandwidthBytesPerS(i - 1), step, 1e-9));
    // Its cells are the model's at those points, and the colour map shows them.
    const core::SchemeMap expected = core::schemeMap(sc.parameters(), coarse.schemes, coarse.bandwidthBytesPerS, coarse.computeFlopsPerS);
    QVERIFY((expected.bestIndex == coarse.bestIndex).all());
    QVERIFY(((expected.speedupOverRunnerUp - coarse.speedupOverRunnerUp).abs() <= 1e-9 * expected.speedupOverRunnerUp).all());
    QCPColorMap *cm = colorMapOf(view.plot());
    QVERIFY(cm);
    QCOMPARE(cm->data()->keySize(), SchemeMapView::kDragGrid);
    QCOMPARE(cm->data()->valueSize(), SchemeMapView::kDragGrid);

    // Exports in the middle of the drag: the full map's figure and data, and the drag goes on.
    SchemeMapView fresh(&sc);
    QVERIFY(sameDataAsFresh(view, fresh));
    QCOMPARE(view.csvRows().size(), 1 + SchemeMapView::kGrid * SchemeMapView::kGrid);
    QVERIFY(sameFigureAsFresh(sc, view));
    QVERIFY(view.dragMode());

    // Released: the full grid again, cell for cell a fresh view's.
    sc.setField(core::Field::Batch, 16);
    QCOMPARE(int(view.map().bestIndex.rows()), SchemeMapView::kDragGrid);
    view.setDragMode(false);
    QCOMPARE(int(view.map().bestIndex.rows()), SchemeMapView::kGrid);
    QVERIFY(sameAsFresh(sc, view));
    QVERIFY(sameFigureAsFresh(sc, view));
}

// While a slider is held the sweep curves have kDragPoints points, each the model's value there; on
// release kPoints again, and exports in between give the full curves.
void TestViews::sweepCurvesCoarseWhileDragging()
{
    Scenario sc;
    sc.setField(core::Field::Batch, 32);
    ThroughputView view(&sc);
    EnergyView energy(&sc);
    const core::SweepAxis axis = sc.viewSettings().throughputAxis;
    const std::vector<double> full = core::sweepAxisValues(axis, SweepView::kPoints);
    const std::vector<double> coarse = core::sweepAxisValues(axis, SweepView::kDragPoints);
    QCOMPARE(int(full.size()), SweepView::kPoints);
    QCOMPARE(int(coarse.size()), SweepView::kDragPoints);
    QCOMPARE(coarse.front(), full.front());
    QCOMPARE(coarse.back(), full.back());
    const auto curveOf = [&](PlotView &v, const core::StepResult &r) {
        return graphNamed(v.plot(), schemeName(r.scheme) + (r.autoSelected ? QStringLiteral(" (auto)") : QString()));
    };
    // Every curve of both views has \p n points at xs, each the model's (tokens/s, J/token).
    const auto curvesAre = [&](const std::vector<double> &xs) {
        int checked = 0;
        for (const auto &r : sc.results()) {
            if (!sc.isSchemeVisible(r.scheme))
                continue;
            QCPGraph *g = curveOf(view, r), *e = curveOf(energy, r);
            if (!g || !e || g->dataCount() != int(xs.size()) || e->dataCount() != int(xs.size()))
                return false;
            // Points that do not fit in DRAM are on a second, dotted graph of the same scheme.
            QCPGraph *gOver = graphNamed(view.plot(), g->name() + QStringLiteral(" (does not fit in DRAM)"));
            QCPGraph *eOver = graphNamed(energy.plot(), e->name() + QStringLiteral(" (does not fit in DRAM)"));
            const core::SweepSeries s = core::sweep(sc.parameters(), r.scheme, axis, xs);
            for (std::size_t i = 0; i < xs.size(); ++i) {
                const bool fits = s.fitsInDram[i];
                if (!s.valid[i] || (!fits && (!gOver || !eOver)))
                    return false;
                const int k = int(i);
                const double y = (fits ? g : gOver)->data()->at(k)->value, ye = (fits ? e : eOver)->data()->at(k)->value;
                if (g->data()->at(k)->key != xs[i] || !relClose(y, s.tokensPerS[i]) || !relClose(ye, s.energyPerTokenJ[i]))
                    return false;
            }
            ++checked;
        }
        return checked >= 2;
    };
    QVERIFY(curvesAre(full));
    view.setDragMode(true);
    energy.setDragMode(true);
    sc.setField(core::Field::Batch, 48);
    QVERIFY(curvesAre(coarse));

    // Exports in the middle of the drag: the full curves, and the drag goes on.
    ThroughputView fresh(&sc);
    QVERIFY(sameDataAsFresh(view, fresh));
    ExportOptions o;
    o.sizePreset = SizePreset::SingleColumn;
    o.dpi = 150;
    QCOMPARE(PlotExporter::renderImage(&view, o), PlotExporter::renderImage(&fresh, o));

    // Released: full curves again.
    sc.setField(core::Field::Batch, 64);
    QVERIFY(curvesAre(coarse));
    view.setDragMode(false);
    energy.setDragMode(false);
    QVERIFY(curvesAre(full));
}

void TestViews::memoryBars()
{
    Scenario sc;
    MemoryView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("memory"));
    int checked = 0;
    for (const auto &r : sc.results()) {
        if (!sc.isSchemeVisible(r.scheme))
            continue;
        bool found = false;
        for (int i = 0; i < view.plot()->plottableCount(); ++i) {
            auto *b = qobject_cast<QCPBars *>(view.plot()->plottable(i));
            if (b && b->name() == QStringLiteral("KV cache per token (B): ") + schemeIdString(r.scheme)) {
                found = true;
                QVERIFY(relClose(b->data()->at(0)->value, r.kvCacheBytesPerToken));
            }
        }
        QVERIFY(found);
        ++checked;
    }
    QVERIFY(checked > 0);
    QCOMPARE(nanCount(view.plot()), 0);
}

void TestViews::explainHtml()
{
    Scenario sc;
    ExplainView view(&sc);
    QCOMPARE(view.viewId(), QStringLiteral("explain"));
    const QString whole = view.browser()->toPlainText();
    QVERIFY(whole.contains(QStringLiteral("(d_c+d_R)·l·b_kv")));
    QVERIFY(whole.contains(QStringLiteral("P = S·L − S(S−1)/2")));
    // Choose the fused attention operator of mla-reuse through the scenario.
    const core::StepResult *r = sc.result(core::Scheme::MlaReuse);
    QVERIFY(r);
    int attention = -1;
    for (std::size_t i = 0; i < r->operators.size(); ++i)
        if (r->operators[i].cost.kind == core::OperatorKind::Attention)
            attention = int(i);
    QVERIFY(attention >= 0);
    ViewSettings vs = sc.viewSettings();
    vs.explainScheme = core::Scheme::MlaReuse;
    vs.explainOperator = attention;
    sc.setViewSettings(vs);
    const QString text = view.browser()->toPlainText();
    // The parts of the one kernel, each with its formula and the default values (B=1, L=4096).
    QVERIFY2(text.contains(QStringLiteral("qk MACs per layer")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("B·n_h·P·(d_c+d_R) = 1·128·4096·576 = 3.02·10^08")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("B·n_h·P·d_c = 1·128·4096·512")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("5·B·n_h·P = 5·1·128·4096")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("differs from the formula")));
    QVERIFY(text.contains(QStringLiteral("Bound")));
    QVERIFY(text.contains(QStringLiteral("-bound")));
    // The time row states the core's formula: max() in the ideal roofline, the 2-norm and the latency
    // floor in the realistic model, each with the operator's own value.
    const core::OperatorResult ideal = r->operators[std::size_t(attention)];  // a copy: r is rebuilt below
    QVERIFY2(text.contains(QStringLiteral("max(max(compute, DRAM) = ")), qPrintable(text));
    QVERIFY(!text.contains(QStringLiteral("√(compute² + DRAM²)")));
    sc.setApplyDerates(true);
    const core::OperatorResult real = sc.result(core::Scheme::MlaReuse)->operators[std::size_t(attention)];
    QVERIFY(real.timeS > ideal.timeS);
    const QString realistic = view.browser()->toPlainText();
    const QString overlapS = QString::fromStdString(
        core::formatSi(std::hypot(real.computeTimeS, real.dramTimeS), "s"));
    QVERIFY2(realistic.contains(QStringLiteral("latency floor + max(√(compute² + DRAM²) = ") + overlapS),
             qPrintable(overlapS + QLatin1Char('\n') + realistic));
}

void TestViews::explainAttentionShare()
{
    // Whole model, B = 16: the whole-step page prints attention's share of time and energy (the core's
    // figures), and an FFN operator's page counts its own layers (58 MoE layers of DeepSeek-V3).
    Scenario sc;
    sc.setField(core::Field::Batch, 16);
    sc.setScope(core::Scope::Model);
    ExplainView view(&sc);
    view.refresh();
    const core::StepResult *r = sc.result(core::Scheme::MlaReuse);
    QVERIFY(r && r->scope == core::Scope::Model);
    QVERIFY(r->attentionTimeShare > 0.0 && r->attentionTimeShare < 1.0);
    const QString text = view.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Attention share")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("%1 % of the step time").arg(QString::number(100.0 * r->attentionTimeShare, 'f', 1))),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("Weights (whole model)")));
    int routed = -1;
    for (std::size_t i = 0; i < r->operators.size(); ++i)
        if (r->operators[i].cost.kind == core::OperatorKind::MoeRouted)
            routed = int(i);
    QVERIFY(routed >= 0);
    ViewSettings vs = sc.viewSettings();
    vs.explainScheme = core::Scheme::MlaReuse;
    vs.explainOperator = routed;
    sc.setViewSettings(vs);
    view.refresh();
    const QString op = view.browser()->toPlainText();
    QVERIFY2(op.contains(QStringLiteral("58 layers")), qPrintable(op));
    QVERIFY2(op.contains(QStringLiteral("T_e·d·3·I_e")), qPrintable(op));
    QVERIFY2(!op.contains(QStringLiteral("differs from the formula")), qPrintable(op));
    // Back to attention only: no share line.
    sc.setScope(core::Scope::Step);
    vs.explainOperator = -1;
    sc.setViewSettings(vs);
    view.refresh();
    QVERIFY(!view.browser()->toPlainText().contains(QStringLiteral("Attention share")));
}

void TestViews::explainServingRows()
{
    // The whole-step page gives TTFT and TPOT for a prompt of L tokens and 256 output tokens, the core's
    // figures for the explained scheme; from a non-default state (B = 8, L = 2048) and after a change.
    Scenario sc;
    sc.setField(core::Field::Batch, 8);
    sc.setField(core::Field::KvLength, 2048);
    ViewSettings vs = sc.viewSettings();
    vs.explainScheme = core::Scheme::MlaReuse;
    vs.explainOperator = -1;
    sc.setViewSettings(vs);
    ExplainView view(&sc);
    view.refresh();
    auto expectRows = [&](long long prompt) {
        const core::ServingResult s =
            core::evaluateServing(sc.parameters(), core::Scheme::MlaReuse, {prompt, 256, 0});
        const QString text = view.browser()->toPlainText();
        QVERIFY2(text.contains(QStringLiteral("TTFT")), qPrintable(text));
        QVERIFY2(text.contains(viewutil::si(s.ttftS, "s") + QStringLiteral(" (prefill of a %1-token prompt, B = 8)").arg(prompt)),
                 qPrintable(text));
        QVERIFY2(text.contains(viewutil::si(s.tpotS, "s") + QStringLiteral(" (mean decode step over 256 output tokens")),
                 qPrintable(text));
    };
    expectRows(2048);
    sc.setField(core::Field::KvLength, 512);
    view.refresh();
    expectRows(512);
}

// The explain view computes the serving and platform figures once per parameter change: a view that
// lived through parameter, scheme, operator, platform and undo changes shows what a fresh view shows.
void TestViews::explainKeepsNoStaleFigures()
{
    Scenario sc;
    sc.setScope(core::Scope::Model);
    ExplainView lived(&sc);
    const auto same = [&] {
        ExplainView fresh(&sc);
        return lived.html() == fresh.html();
    };
    const auto choose = [&](core::Scheme scheme, int op) {
        ViewSettings vs = sc.viewSettings();
        vs.explainScheme = scheme;
        vs.explainOperator = op;
        sc.setViewSettings(vs);
    };
    const QString before = lived.html();
    sc.setField(core::Field::Batch, 24);
    QVERIFY(lived.html() != before);  // the serving rows (B = 24) and the platforms changed
    QVERIFY2(same(), "batch");
    choose(core::Scheme::Mha, -1);
    QVERIFY2(same(), "scheme");
    choose(core::Scheme::Mha, 0);
    QVERIFY2(same(), "operator");
    choose(core::Scheme::MlaReuse, -1);
    QVERIFY2(same(), "back to the first scheme");
    sc.setField(core::Field::DramBandwidth, 1.5e12);  // the current platform's row changes
    QVERIFY2(same(), "bandwidth");
    ViewSettings vs = sc.viewSettings();
    vs.platforms = QStringList{QStringLiteral("h100-sxm"), QStringLiteral("b200")};
    sc.setViewSettings(vs);
    QVERIFY2(lived.html().contains(QStringLiteral("over 2 platforms")), qPrintable(lived.html()));
    QVERIFY2(same(), "platforms");
    sc.pinReference();
    sc.setField(core::Field::KvLength, 1024);
    QVERIFY2(same(), "kv length");
    sc.undoStack()->undo();
    QVERIFY2(same(), "undo");
    sc.setField(core::Field::KvLength, core::inputLimit(core::Field::KvLength)->max);  // L + 255 beyond the limit
    QVERIFY2(same(), "no serving figures");
    QVERIFY(!lived.html().contains(QStringLiteral("TTFT")));
    sc.undoStack()->undo();
    QVERIFY(lived.html().contains(QStringLiteral("TTFT")));
    QVERIFY2(same(), "serving figures again");
}

// The explain view ranks the explained scheme among the shown ones by the status bar's 2 % rule.
void TestViews::explainStatesTheTie()
{
    Scenario sc;
    for (core::Scheme s : core::kAllSchemes)
        sc.setSchemeVisible(s, s == core::Scheme::MlaReuse || s == core::Scheme::MlaRecompute);
    ViewSettings vs = sc.viewSettings();
    vs.explainScheme = core::Scheme::MlaReuse;
    sc.setViewSettings(vs);
    ExplainView view(&sc);
    // S = 140 (L = 4096, DeepSeek-V3 on H100) is at the reuse/recompute crossover: under 2 % apart.
    sc.setField(core::Field::QueryLength, 140);
    const double reuse = sc.result(core::Scheme::MlaReuse)->tokensPerS;
    const double recompute = sc.result(core::Scheme::MlaRecompute)->tokensPerS;
    QVERIFY(std::max(reuse, recompute) < 1.02 * std::min(reuse, recompute));
    QString text = view.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("ties with MLA (recompute) (within 2 %)")), qPrintable(text));
    // S = 16: reuse clearly wins; explained from recompute's side it is the faster one, by its ratio.
    sc.setField(core::Field::QueryLength, 16);
    text = view.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("the fastest (by more than 2 %)")), qPrintable(text));
    vs.explainScheme = core::Scheme::MlaRecompute;
    sc.setViewSettings(vs);
    const double ratio = sc.result(core::Scheme::MlaReuse)->tokensPerS / sc.result(core::Scheme::MlaRecompute)->tokensPerS;
    QVERIFY(ratio > 1.5);
    text = view.browser()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("MLA (reuse) is %1× faster").arg(QString::number(ratio, 'f', 2))), qPrintable(text));
}

void TestViews::invalidInputsShowMessage()
{
    Scenario sc;
    RooflineView roofline(&sc);
    ThroughputView throughput(&sc);
    EnergyView energy(&sc);
    SchemeMapView map(&sc);
    MemoryView memory(&sc);
    ExplainView explain(&sc);
    sc.setField(core::Field::DramBandwidth, 0.0);
    QVERIFY(sc.results().empty());
    for (PlotView *v : std::initializer_list<PlotView *>{&roofline, &throughput, &energy, &map, &memory}) {
        QVERIFY2(v->isShowingMessage(), qPrintable(v->viewId()));
        QVERIFY(v->messageText().contains(QStringLiteral("Invalid inputs")));
        QCOMPARE(nanCount(v->plot()), 0);
        QVERIFY(v->plot()->xAxis->range().lower > 0.0);
        // Renders without trouble.
        const QPixmap pm = v->plot()->toPixmap(400, 300);
        QVERIFY(!pm.isNull());
    }
    QVERIFY(explain.browser()->toPlainText().contains(QStringLiteral("Invalid inputs")));
    sc.undoStack()->undo();
    QVERIFY(!roofline.isShowingMessage());
    QVERIFY(!map.isShowingMessage());
}

void TestViews::referenceIsDrawn()
{
    Scenario sc;
    RooflineView roofline(&sc);
    ThroughputView throughput(&sc);
    sc.pinReference();
    sc.setField(core::Field::DramBandwidth, sc.parameters().hardware.dramBandwidthBytesPerS * 2.0);
    QVERIFY(graphNamed(roofline.plot(), QStringLiteral("reference roof")));
    QVERIFY(graphNamed(roofline.plot(), QStringLiteral("reference (pinned)")));
    // One named curve per visible scheme, in the scheme's hue (lighter) and dashed.
    int named = 0;
    for (const core::StepResult &r : sc.referenceResults()) {
        if (!sc.isSchemeVisible(r.scheme) || r.autoSelected)
            continue;
        QCPGraph *g = graphNamed(throughput.plot(), SweepView::referenceName(r.scheme));
        QVERIFY2(g, qPrintable(SweepView::referenceName(r.scheme)));
        QCOMPARE(g->pen().style(), Qt::DashLine);
        QVERIFY(g->pen().color() != throughput.theme().reference);
        ++named;
    }
    QVERIFY(named >= 2);
    QVERIFY(graphNamed(throughput.plot(), QStringLiteral("MLA (reuse), reference")));
}

void TestViews::throughputAndEnergyShareOneSweep()
{
    Scenario sc;
    ThroughputView throughput(&sc);
    EnergyView energy(&sc);
    int visible = 0;
    for (const core::StepResult &r : sc.results())
        visible += sc.isSchemeVisible(r.scheme) ? 1 : 0;
    QVERIFY(visible >= 2);
    // A change rebuilds both views; each scheme's curve is swept once for the two.
    const int before = sc.sweepsComputed();
    sc.setField(core::Field::Batch, 8);
    throughput.refresh();
    energy.refresh();
    QCOMPARE(sc.sweepsComputed() - before, visible);
    // The shared series is what core::sweep() gives for these parameters, and both views draw it.
    const std::vector<double> xs = core::sweepAxisValues(core::SweepAxis::KvLength, 200);
    const core::SweepSeries direct = core::sweep(sc.parameters(), core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    const core::SweepSeries &shared = sc.sweep(false, core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    QCOMPARE(shared.tokensPerS, direct.tokensPerS);
    QCOMPARE(shared.energyPerTokenJ, direct.energyPerTokenJ);
    // A reference is swept for itself, and a second change sweeps anew.
    const int pinned = sc.sweepsComputed();
    sc.pinReference();
    throughput.refresh();
    energy.refresh();
    QCOMPARE(sc.sweepsComputed() - pinned, visible);  // the reference's curves; the current ones are kept
    sc.setField(core::Field::Batch, 16);
    const core::SweepSeries &after = sc.sweep(false, core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    QVERIFY(after.tokensPerS != direct.tokensPerS);
}

void TestViews::sweepAlongTheMovedFieldIsKept()
{
    Scenario sc;
    ThroughputView throughput(&sc);
    EnergyView energy(&sc);
    QCOMPARE(sc.viewSettings().throughputAxis, core::SweepAxis::KvLength);
    sc.setField(core::Field::Batch, 8);  // off the defaults
    throughput.refresh();
    energy.refresh();
    const std::vector<double> xs = core::sweepAxisValues(core::SweepAxis::KvLength, 200);
    // Moving the axis field itself (a drag along the x axis) moves the current point only: no new sweep,
    // and the kept series is exactly what core::sweep() gives for the new parameters.
    const int before = sc.sweepsComputed();
    sc.setField(core::Field::KvLength, 12345);
    throughput.refresh();
    energy.refresh();
    QCOMPARE(sc.sweepsComputed(), before);
    QCOMPARE(sc.parameters().workload.kvLength, 12345LL);
    const core::SweepSeries direct = core::sweep(sc.parameters(), core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    const core::SweepSeries &kept = sc.sweep(false, core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    QCOMPARE(sc.sweepsComputed(), before);
    QCOMPARE(kept.tokensPerS, direct.tokensPerS);
    QCOMPARE(kept.energyPerTokenJ, direct.energyPerTokenJ);
    // Any other field sweeps anew (the views rebuild at the change).
    sc.setField(core::Field::Batch, 16);
    QVERIFY(sc.sweepsComputed() > before);
    const core::SweepSeries &fresh = sc.sweep(false, core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs);
    QCOMPARE(fresh.tokensPerS, core::sweep(sc.parameters(), core::Scheme::MlaReuse, core::SweepAxis::KvLength, xs).tokensPerS);
    QVERIFY(fresh.tokensPerS != direct.tokensPerS);
}

void TestViews::themesApply()
{
    Scenario sc;
    RooflineView view(&sc);
    for (ThemeId id : {ThemeId::Dark, ThemeId::Paper, ThemeId::Slides, ThemeId::Light}) {
        ViewSettings vs = sc.viewSettings();
        vs.theme = id;
        sc.setViewSettings(vs);
        QCOMPARE(view.theme().id, id);
        QCOMPARE(view.plot()->xAxis->tickLabelFont().pointSizeF(), FigureTheme::preset(id).fontPointSize);
    }
    QCOMPARE(FigureTheme::preset(ThemeId::Paper).fontPointSize, 7.0);
    // Ids exist only at the file and command-line boundary, and round-trip there.
    for (ThemeId id : kThemeIds)
        QCOMPARE(themeFromId(themeId(id)), std::optional<ThemeId>(id));
    QCOMPARE(themeId(ThemeId::Slides), QStringLiteral("slides"));
    QVERIFY(!themeFromId(QStringLiteral("nonsense")));
    QVERIFY(!themeFromId(QStringLiteral("Dark")));
}

// MHA is Okabe–Ito black: on the dark background it takes a light grey, in that theme only.
void TestViews::mhaVisibleOnDark()
{
    Scenario sc;
    sc.setSchemeVisible(core::Scheme::Mha, true);
    RooflineView view(&sc);
    const auto mhaInk = [&] {
        QCPGraph *g = graphNamed(view.plot(), schemeName(core::Scheme::Mha));
        return g ? g->pen().color() : QColor();
    };
    QCOMPARE(mhaInk(), QColor(Qt::black));
    ViewSettings vs = sc.viewSettings();
    vs.theme = ThemeId::Dark;
    sc.setViewSettings(vs);
    const FigureTheme dark = FigureTheme::preset(ThemeId::Dark);
    QVERIFY(mhaInk().isValid());
    QVERIFY2(mhaInk().lightness() - dark.background.lightness() > 150, qPrintable(mhaInk().name()));
    QCOMPARE(mhaInk(), dark.schemeColor(core::Scheme::Mha));
    // The other schemes keep their colours, and the other themes keep MHA black.
    for (core::Scheme s : core::kAllSchemes)
        if (s != core::Scheme::Mha)
            QCOMPARE(dark.schemeColor(s), schemeColor(s));
    for (ThemeId id : kThemeIds)
        if (id != ThemeId::Dark)
            QCOMPARE(FigureTheme::preset(id).schemeColor(core::Scheme::Mha), QColor(Qt::black));
}

namespace {

// Points in the shipped files of the source tree (the view reads the embedded copies).
std::size_t shippedPointCount()
{
    std::size_t n = 0;
    const QDir dir(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/measured"));
    for (const QString &f : dir.entryList({QStringLiteral("*.csv")}, QDir::Files))
        n += core::loadMeasuredCsvFile(dir.filePath(f).toStdString()).size();
    return n;
}

QString writeCsv(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        return {};
    return f.fileName();
}

} // namespace

void TestViews::validationShowsTheShippedSet()
{
    Scenario sc;
    QVERIFY(plotViewIds().contains(QStringLiteral("validation")));
    std::unique_ptr<PlotView> made(createPlotView(QStringLiteral("validation"), &sc));
    auto *view = qobject_cast<ValidationView *>(made.get());
    QVERIFY(view);
    QCOMPARE(view->viewId(), QStringLiteral("validation"));
    QVERIFY2(view->loadError().isEmpty(), qPrintable(view->loadError()));
    const std::size_t n = shippedPointCount();
    QVERIFY(n >= 25);
    QCOMPARE(view->rows().size(), n);
    QCOMPARE(view->table()->rowCount(), int(n));
    QVERIFY(!view->isShowingMessage());
    // The reference lines and one marker series per scheme present, with the scheme's colour.
    QVERIFY(graphNamed(view->plot(), QStringLiteral("y = x")));
    QVERIFY(graphNamed(view->plot(), QStringLiteral("±20 %")));
    int markers = 0;
    for (core::Scheme s : core::kAllSchemes) {
        const auto count = std::count_if(view->rows().begin(), view->rows().end(), [&](const core::ValidationRow &r) { return r.point.scheme == s; });
        QCPGraph *g = graphNamed(view->plot(), schemeName(s));
        QCOMPARE(g != nullptr, count > 0);
        if (!g)
            continue;
        QCOMPARE(g->data()->size(), int(count));
        QCOMPARE(g->scatterStyle().pen().color(), schemeColor(s));
        markers += g->data()->size();
    }
    QCOMPARE(markers, int(n));
    // y = x and the band are straight lines through the plot range.
    QCPGraph *diagonal = graphNamed(view->plot(), QStringLiteral("y = x"));
    QCOMPARE(diagonal->data()->begin()->key, diagonal->data()->begin()->value);
    QCPGraph *band = graphNamed(view->plot(), QStringLiteral("±20 %"));
    QVERIFY(relClose(band->data()->begin()->value, 1.2 * band->data()->begin()->key));
}

void TestViews::validationFollowsTheDerateToggle()
{
    Scenario sc;
    sc.setApplyDerates(false);
    ValidationView view(&sc);
    QVERIFY(!view.rows().empty());
    const core::ValidationRow &first = view.rows().front();
    QCPGraph *g = graphNamed(view.plot(), schemeName(first.point.scheme));
    QVERIFY(g);
    const auto markerOf = [&](const core::ValidationRow &r) {
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
            if (relClose(it->key, r.point.measuredTimeS * 1e6))
                return it->value;
        return -1.0;
    };
    QVERIFY(relClose(markerOf(first), first.predictedOffS * 1e6));
    QCOMPARE(view.table()->item(0, 8)->text(), QString::number(first.predictedOffS * 1e6, 'f', 1));
    QCOMPARE(view.table()->item(0, 10)->text(), QString::number(first.ratioOff(), 'f', 3));
    QCOMPARE(view.table()->item(0, 0)->text(), QString::fromStdString(first.point.id()));

    sc.setApplyDerates(true);  // an undoable scenario edit; the view follows it
    g = graphNamed(view.plot(), schemeName(first.point.scheme));
    QVERIFY(first.predictedOnS != first.predictedOffS);
    QVERIFY(relClose(markerOf(first), first.predictedOnS * 1e6));
    QCOMPARE(view.table()->item(0, 8)->text(), QString::number(first.predictedOnS * 1e6, 'f', 1));
    QCOMPARE(view.table()->item(0, 10)->text(), QString::number(first.ratioOn(), 'f', 3));
    sc.undoStack()->undo();
    g = graphNamed(view.plot(), schemeName(first.point.scheme));
    QVERIFY(relClose(markerOf(first), first.predictedOffS * 1e6));
    // Other scenario inputs do not move published points (they run on their own presets).
    sc.setField(core::Field::DramBandwidth, 1e12);
    g = graphNamed(view.plot(), schemeName(first.point.scheme));
    QVERIFY(relClose(markerOf(first), first.predictedOffS * 1e6));
}

void TestViews::validationHoverAndExport()
{
    Scenario sc;
    ValidationView view(&sc);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.plot()->replot();
    const core::ValidationRow &r = view.rows().front();
    const QPoint at(int(std::lround(view.plot()->xAxis->coordToPixel(r.point.measuredTimeS * 1e6))),
                    int(std::lround(view.plot()->yAxis->coordToPixel(view.shownPredictionS(r) * 1e6))));
    const QString tip = view.toolTipAt(at);
    QVERIFY2(tip.contains(QString::fromStdString(r.point.source)), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("B = %1, L = %2").arg(r.point.batch).arg(r.point.seqLen)), qPrintable(tip));
    QVERIFY(tip.contains(QString::fromStdString(r.point.hardwareId)));
    QVERIFY(view.toolTipAt(QPoint(-500, -500)).isEmpty());

    QTemporaryDir dir;
    QCOMPARE(PlotExporter::exportPlot(&view, dir.filePath(QStringLiteral("v.svg")), ExportOptions()), QString());
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("v.svg"))).size() > 1000);
    QCOMPARE(PlotExporter::exportData(&view, dir.filePath(QStringLiteral("v.csv"))), QString());
    QFile csv(dir.filePath(QStringLiteral("v.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.at(1), QStringLiteral("# view: validation"));
    QVERIFY(lines.at(2).startsWith(QLatin1String("id,hardware,scheme")));
    QCOMPARE(lines.size(), 3 + int(view.rows().size()));
    QCOMPARE(PlotExporter::exportData(&view, dir.filePath(QStringLiteral("v.json"))), QString());
    QFile js(dir.filePath(QStringLiteral("v.json")));
    QVERIFY(js.open(QIODevice::ReadOnly));
    const nlohmann::json j = nlohmann::json::parse(js.readAll().toStdString());
    QCOMPARE(j["data"]["points"].size(), view.rows().size());
    QCOMPARE(j["data"]["schema"].get<std::string>(), std::string("mlastudio.validate/1"));
}

void TestViews::validationOfOtherFiles()
{
    QTemporaryDir dir;
    const QString good = writeCsv(dir, QStringLiteral("one.csv"),
        "source,hardware,model,heads,kv_heads,scheme,phase,batch,seq_len,dtype,measured,value,unit\n"
        "test:view,h100-sxm,llama-3.1-70b,32,32,mha,decode,16,4096,bf16,kernel_time,400,us\n");
    Scenario sc;
    ValidationView view(&sc, nullptr, {good});
    QCOMPARE(view.rows().size(), std::size_t(1));
    QCOMPARE(view.table()->rowCount(), 1);
    QCOMPARE(view.table()->item(0, 11)->text(), QStringLiteral("test:view"));
    const QString bad = writeCsv(dir, QStringLiteral("bad.csv"),
        "source,hardware,model,scheme,phase,batch,seq_len,dtype,measured,value,unit\n"
        "test:view,h100-sxm,llama-3.1-70b,mha,decode,16,4096,bf16,kernel_time,0,us\n");
    ValidationView broken(&sc, nullptr, {bad});
    QVERIFY(broken.rows().empty());
    QVERIFY(broken.isShowingMessage());
    QVERIFY2(broken.messageText().contains(bad + QStringLiteral(":2: column 'value'")), qPrintable(broken.messageText()));
    QCOMPARE(broken.table()->rowCount(), 0);
}

QTEST_MAIN(TestViews)
#include "tst_views.moc"
