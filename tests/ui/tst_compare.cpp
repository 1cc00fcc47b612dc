// SPDX-License-Identifier: MIT
// Readable comparisons: the scheme map's hues, colour bar and hover readout; named reference curves
// and the change against the reference; every field a sweep axis; slider snapping; one unit per quantity.
#include "controlpanel.h"
#include "plotlookup.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/energyview.h"
#include "views/explainview.h"
#include "views/schememapview.h"
#include "views/throughputview.h"
#include "windowfixture.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/sweep.h"
#include "mlastudio/core/units.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTextBrowser>
#include <QtTest>

#include <cmath>

using namespace mlastudio;
using namespace mlastudio::ui;

namespace {

using test::graphNamed;
using test::relClose;

core::Parameters atCell(const core::Parameters &p, double bandwidth, double compute)
{
    return core::withAxisValue(core::withAxisValue(p, core::Field::DramBandwidth, bandwidth), core::Field::PeakCompute, compute);
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void hoverReadoutEqualsCore();
    void mapHuesAndColourBar();
    void referenceCurvesAreNamed();
    void changeVsReference();
    void sweepOverLatentRank();
    void everyFieldInTheAxisCombo();
    void slidersSnap();
    void axesUseTheSliderUnit();
    void flagsScopeAndStaticPower();
};

void TestCompare::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TestCompare::hoverReadoutEqualsCore()
{
    Scenario sc;
    sc.setSchemeVisible(core::Scheme::MlaNaive, true);
    SchemeMapView view(&sc);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.plot()->replot();
    const core::SchemeMap &map = view.map();
    QVERIFY(map.schemes.size() >= 3);
    QCustomPlot *p = view.plot();
    // Cells chosen by index; the pixel is the cell's centre on the (log) axes.
    for (const auto &[i, j] : {std::pair{20, 140}, std::pair{80, 80}, std::pair{150, 10}, std::pair{0, 0}}) {
        const double bw = map.bandwidthBytesPerS(i), c = map.computeFlopsPerS(j);
        const QPoint px(int(std::lround(p->xAxis->coordToPixel(bw))), int(std::lround(p->yAxis->coordToPixel(c))));
        QTest::mouseMove(p, px);
        QTRY_VERIFY(!view.lastReadout().isEmpty());
        const SchemeMapView::Readout r = view.readoutAtPixel(px);
        QCOMPARE(view.lastReadout(), r.text);
        QVERIFY(relClose(r.bandwidthBytesPerS, bw));
        QVERIFY(relClose(r.computeFlopsPerS, c));
        QCOMPARE(r.schemes, map.schemes);
        // Each time equals a fresh core evaluation at that cell, and the map's own grid value.
        std::vector<core::StepResult> results;
        for (std::size_t k = 0; k < map.schemes.size(); ++k) {
            results.push_back(core::evaluate(atCell(sc.parameters(), bw, c), map.schemes[k]));
            QVERIFY(relClose(r.timeS[k], results.back().timeS));
            QVERIFY(relClose(r.timeS[k], map.timeS[k](i, j), 1e-9));
            QVERIFY2(r.text.contains(QString::fromStdString(core::formatSi(results.back().timeS, "s"))), qPrintable(r.text));
            QVERIFY(r.text.contains(schemeName(map.schemes[k])));
        }
        std::vector<const core::StepResult *> ptrs;
        for (const auto &x : results)
            ptrs.push_back(&x);
        const auto leaders = core::leadingResults(ptrs);
        QCOMPARE(int(r.leaders.size()), int(leaders.size()));
        QCOMPARE(r.leaders.front(), leaders.front()->scheme);
        // The winner agrees with the map at that cell; the speed-up is fastest / runner-up.
        QCOMPARE(map.schemes[std::size_t(map.bestIndex(i, j))], r.leaders.front());
        QVERIFY(relClose(r.speedup, map.speedupOverRunnerUp(i, j), 1e-9));
        if (leaders.size() == 1)
            QVERIFY2(r.text.contains(QStringLiteral("%1× the runner-up").arg(QString::number(r.speedup, 'f', 2))), qPrintable(r.text));
        else
            QVERIFY2(r.text.contains(QStringLiteral("Tie (within 2 %)")), qPrintable(r.text));
        QVERIFY(r.text.contains(QString::fromStdString(core::formatFieldValue(core::fieldInfo(core::Field::DramBandwidth), bw))));
    }
    // Outside the map: no readout.
    QVERIFY(view.readoutAtPixel(QPointF(-10, -10)).text.isEmpty());

    // The "current" label is anchored at the asterisk: its text lies within reach of the star, whichever
    // side the figure's label placement picks.
    QCPItemText *label = nullptr;
    for (int i = 0; i < p->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(p->item(i)); t && t->text() == QStringLiteral("current"))
            label = t;
    QVERIFY(label && label->visible());
    const QPointF star(p->xAxis->coordToPixel(sc.parameters().hardware.dramBandwidthBytesPerS),
                       p->yAxis->coordToPixel(sc.parameters().hardware.peakFlopsBf16));
    const double width = QFontMetricsF(label->font()).horizontalAdvance(label->text());
    const double reach = width + 3.0 * view.theme().markerSize;
    QVERIFY2(QLineF(label->position->pixelPosition(), star).length() <= reach,
             qPrintable(QStringLiteral("label at %1,%2, star at %3,%4").arg(label->position->pixelPosition().x())
                            .arg(label->position->pixelPosition().y()).arg(star.x()).arg(star.y())));
}

void TestCompare::mapHuesAndColourBar()
{
    Scenario sc;
    SchemeMapView view(&sc);
    for (ThemeId id : kThemeIds) {
        const QString theme = themeId(id);
        ViewSettings vs = sc.viewSettings();
        vs.theme = id;
        sc.setViewSettings(vs);
        QCPGraph *tie = graphNamed(view.plot(), QStringLiteral("tie (within 2 %)"));
        QVERIFY(tie);
        const QColor tieColor = tie->scatterStyle().brush().color();
        QVector<QColor> hues;
        for (core::Scheme s : view.map().schemes) {
            QCPGraph *g = graphNamed(view.plot(), schemeName(s));
            QVERIFY2(g, qPrintable(schemeName(s)));
            const QColor c = g->scatterStyle().brush().color();
            // A hue, not a grey: MHA too, in every theme.
            QVERIFY2(c.hsvSaturationF() > 0.4, qPrintable(theme + QLatin1Char(' ') + schemeName(s)));
            QVERIFY(tieColor.hsvSaturationF() < 0.1);
            for (const QColor &other : hues)
                QVERIFY(std::abs(c.hsvHue() - other.hsvHue()) > 15);
            hues << c;
        }
        // The colour bar: one column per scheme, the speed-up on its axis.
        QCPAxisRect *bar = view.colorBar();
        QVERIFY(bar->visible());
        QCPColorMap *cm = nullptr;
        for (QCPAbstractPlottable *pl : bar->plottables())
            cm = cm ? cm : qobject_cast<QCPColorMap *>(pl);
        QVERIFY(cm);
        QCOMPARE(cm->data()->keySize(), int(view.map().schemes.size()));
        QCOMPARE(bar->axis(QCPAxis::atRight)->label(), QStringLiteral("speed-up over runner-up"));
        QCOMPARE(bar->axis(QCPAxis::atRight)->range().upper, 8.0);
    }
    // One scheme only: nothing to compare, no bar.
    for (core::Scheme s : core::kMlaSchemes)
        sc.setSchemeVisible(s, false);
    QCOMPARE(int(view.map().schemes.size()), 1);
    QVERIFY(!view.colorBar()->visible());
}

void TestCompare::referenceCurvesAreNamed()
{
    Scenario sc;
    ThroughputView view(&sc);
    EnergyView energy(&sc);
    sc.pinReference();
    sc.setField(core::Field::DramBandwidth, 2.0 * sc.parameters().hardware.dramBandwidthBytesPerS);
    QCOMPARE(SweepView::referenceName(core::Scheme::MlaReuse), QStringLiteral("MLA (reuse), reference"));
    int shown = 0;
    for (core::Scheme s : sc.visibleSchemes()) {
        const core::StepResult *ref = sc.referenceResult(s);
        if (!ref)
            continue;
        for (SweepView *v : std::initializer_list<SweepView *>{&view, &energy}) {
            QCPGraph *g = graphNamed(v->plot(), SweepView::referenceName(s));
            QVERIFY2(g, qPrintable(SweepView::referenceName(s)));
            // In the legend, dashed, lighter than the live curve but of the same hue.
            QVERIFY(v->plot()->legend->hasItemWithPlottable(g));
            QCOMPARE(g->pen().style(), Qt::DashLine);
            const QColor live = v->theme().schemeColor(s), refColor = g->pen().color();
            QVERIFY(refColor.lightnessF() > live.lightnessF());
            if (live.hsvSaturationF() > 0.3)
                QVERIFY(std::abs(refColor.hsvHue() - live.hsvHue()) <= 3);
        }
        // The curve is the reference's sweep, not the current one's: at the current L it is the reference result.
        QCPGraph *g = graphNamed(view.plot(), SweepView::referenceName(s));
        const core::SweepSeries series = core::sweep(*sc.reference(), s, core::Field::KvLength,
                                                     core::sweepAxisValues(core::Field::KvLength, SweepView::kPoints));
        QCOMPARE(g->dataCount(), int(series.x.size()));
        QVERIFY(relClose(g->data()->at(0)->value, series.tokensPerS[0]));
        ++shown;
    }
    QVERIFY(shown >= 2);
    sc.clearReference();
    QVERIFY(!graphNamed(view.plot(), SweepView::referenceName(core::Scheme::MlaReuse)));
}

void TestCompare::changeVsReference()
{
    WindowFixture f;
    Scenario &sc = f.scenario;
    // Default: DeepSeek-V3 on H100, decode, B = 1: memory-bound, so doubling the bandwidth helps.
    const core::Parameters before = sc.parameters();
    sc.pinReference();
    QVERIFY(!f.window.headline().contains(QStringLiteral("vs reference")) || f.window.headline().contains(QStringLiteral("±0 %")));
    sc.setField(core::Field::DramBandwidth, 2.0 * before.hardware.dramBandwidthBytesPerS);
    // Independently: the core at both parameter sets.
    core::Parameters after = before;
    after.hardware.dramBandwidthBytesPerS *= 2.0;
    const double expected = core::evaluate(after, core::Scheme::MlaReuse).tokensPerS
                            / core::evaluate(before, core::Scheme::MlaReuse).tokensPerS - 1.0;
    // Memory-bound decode: close to, and never more than, +100 %.
    QVERIFY2(expected > 0.5 && expected <= 1.0 + 1e-12, qPrintable(QString::number(expected)));
    QVERIFY(relClose(*sc.tokenRateChangeVsReference(core::Scheme::MlaReuse), expected));
    const QString text = QStringLiteral("reuse %1 tokens/s vs reference").arg(signedPercent(expected));
    QVERIFY2(f.window.headline().startsWith(QStringLiteral("Fastest: MLA (reuse)")), qPrintable(f.window.headline()));
    QVERIFY2(f.window.headline().contains(text), qPrintable(f.window.headline() + QStringLiteral(" / ") + text));
    QVERIFY(text.startsWith(QStringLiteral("reuse +")));
    ExplainView explain(&sc);
    ViewSettings vs = sc.viewSettings();
    vs.explainScheme = core::Scheme::MlaReuse;
    vs.explainOperator = -1;
    sc.setViewSettings(vs);
    QVERIFY2(explain.browser()->toPlainText().contains(text), qPrintable(explain.browser()->toPlainText()));
    // Halving the bandwidth instead: a drop, stated with a minus sign.
    sc.setField(core::Field::DramBandwidth, 0.5 * before.hardware.dramBandwidthBytesPerS);
    QVERIFY2(f.window.headline().contains(QStringLiteral("reuse −")), qPrintable(f.window.headline()));
    sc.clearReference();
    QVERIFY(!f.window.headline().contains(QStringLiteral("vs reference")));
    QCOMPARE(signedPercent(0.38), QStringLiteral("+38 %"));
    QCOMPARE(signedPercent(-0.042), QStringLiteral("−4.2 %"));
    QCOMPARE(signedPercent(0.0001), QStringLiteral("±0 %"));
}

void TestCompare::sweepOverLatentRank()
{
    Scenario sc;
    ThroughputView view(&sc);
    QComboBox *combo = view.axisCombo();
    const int idx = combo->findData(int(core::Field::KvLoraRank));
    QVERIFY(idx >= 0);
    combo->setCurrentIndex(idx);
    Q_EMIT combo->activated(idx);
    QCOMPARE(sc.viewSettings().throughputAxis, core::Field::KvLoraRank);
    QCOMPARE(view.plot()->xAxis->scaleType(), QCPAxis::stLinear);
    QCOMPARE(view.plot()->xAxis->label(), QStringLiteral("Latent rank d_c"));
    QCPGraph *g = graphNamed(view.plot(), QStringLiteral("MLA (reuse)"));
    QVERIFY(g);
    QCOMPARE(g->dataCount(), 65);  // 0, 64, ..., 4096
    int checked = 0;
    for (int i = 0; i < g->dataCount(); ++i) {
        const double key = g->data()->at(i)->key;
        QCOMPARE(key, 64.0 * i);
        if (i == 0) {
            QVERIFY(std::isnan(g->data()->at(i)->value));  // no latent: MLA does not apply
            continue;
        }
        if (i % 16 != 1)
            continue;
        core::Parameters q = sc.parameters();
        q.model.kvLoraRank = int(key);
        const core::StepResult r = core::evaluate(q, core::Scheme::MlaReuse);
        const double y = r.fitsInDram ? g->data()->at(i)->value
                                      : graphNamed(view.plot(), QStringLiteral("MLA (reuse) (does not fit in DRAM)"))->data()->at(i)->value;
        QVERIFY(relClose(y, r.tokensPerS));
        ++checked;
    }
    QCOMPARE(checked, 4);
    // The setting survives a save and load by its id.
    QCOMPARE(sc.toJson()["view"]["throughput_axis"].get<std::string>(), std::string("kv-lora-rank"));
    Scenario other;
    QCOMPARE(other.loadJson(sc.toJson(), QStringLiteral("x.json")), QString());
    QCOMPARE(other.viewSettings().throughputAxis, core::Field::KvLoraRank);
}

void TestCompare::everyFieldInTheAxisCombo()
{
    Scenario sc;
    ThroughputView view(&sc);
    for (const core::FieldInfo &f : core::allFields()) {
        const int idx = view.axisCombo()->findData(int(f.field));
        QVERIFY2(idx >= 0, f.id.data());
        view.axisCombo()->setCurrentIndex(idx);
        Q_EMIT view.axisCombo()->activated(idx);
        QCOMPARE(sc.viewSettings().throughputAxis, f.field);
        QVERIFY(!view.isShowingMessage());
        // Integer fields are swept at whole values (ranks at multiples of 64).
        QCPGraph *g = graphNamed(view.plot(), QStringLiteral("MHA"));
        QVERIFY2(g && g->dataCount() >= 2, f.id.data());
        for (int i = 0; i < g->dataCount(); ++i) {
            const double display = g->data()->at(i)->key / f.displayScale;
            if (f.step > 0.0)
                QVERIFY(std::fmod(display, f.step) == 0.0 || display == f.min);
            else if (f.integer)
                QCOMPARE(display, std::round(display));
        }
    }
}

void TestCompare::slidersSnap()
{
    Scenario sc;
    ControlPanel panel(&sc);
    auto *slider = panel.findChild<QSlider *>(QStringLiteral("slider_kv_lora_rank"));
    QVERIFY(slider);
    // Position 248 of 1000 over 0..4096 was 1016 before snapping.
    const core::FieldInfo &rank = core::fieldInfo(core::Field::KvLoraRank);
    QCOMPARE(ControlPanel::sliderValue(rank, 248), 1024.0);
    for (int pos : {1, 37, 248, 500, 613, 999}) {
        slider->setValue(pos);
        const int v = sc.parameters().model.kvLoraRank;
        QVERIFY2(v % 64 == 0, qPrintable(QString::number(v)));
        QCOMPARE(double(v), ControlPanel::sliderValue(rank, pos));
    }
    for (const char *id : {"q_lora_rank", "qk_rope_head_dim", "v_head_dim", "hidden_size"}) {
        auto *s = panel.findChild<QSlider *>(QStringLiteral("slider_") + QLatin1String(id));
        QVERIFY(s);
        s->setValue(333);
        const core::Field f = *core::fieldFromId(id);
        QCOMPARE(std::fmod(core::fieldValue(sc.parameters(), f), 64.0), 0.0);
    }
    // Counts snap to integers; the spin box of a rank steps by 64 and still takes typed values.
    auto *heads = panel.findChild<QSlider *>(QStringLiteral("slider_num_heads"));
    heads->setValue(421);
    QCOMPARE(double(sc.parameters().model.numHeads), std::round(1.0 + 0.421 * 255.0));
    auto *spin = panel.findChild<QSpinBox *>(QStringLiteral("spin_kv_lora_rank"));
    QVERIFY(spin);
    QCOMPARE(spin->singleStep(), 64);
    spin->setValue(500);
    QCOMPARE(sc.parameters().model.kvLoraRank, 500);
}

void TestCompare::axesUseTheSliderUnit()
{
    Scenario sc;
    ThroughputView view(&sc);
    view.resize(800, 500);
    const auto choose = [&](core::Field f) {
        const int idx = view.axisCombo()->findData(int(f));
        view.axisCombo()->setCurrentIndex(idx);
        Q_EMIT view.axisCombo()->activated(idx);
        view.plot()->replot();
    };
    // On-chip memory: MiB on the axis, the current label and the slider alike.
    choose(core::Field::SramCapacity);
    QCOMPARE(view.plot()->xAxis->label(), QStringLiteral("On-chip memory (MiB)"));
    const QVector<double> ticks = view.plot()->xAxis->tickVector();
    QVERIFY(!ticks.isEmpty());
    for (double t : ticks) {
        const double mib = t / 1048576.0;  // decades of MiB, not of bytes
        QVERIFY2(relClose(mib, std::pow(10.0, std::round(std::log10(mib))), 1e-9), qPrintable(QString::number(t)));
    }
    bool labelled = false;
    for (int i = 0; i < view.plot()->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(view.plot()->item(i)))
            if (text->text().startsWith(QStringLiteral("current ")))
                labelled = text->text() == QStringLiteral("current ")
                                               + QString::fromStdString(core::formatFieldValue(core::fieldInfo(core::Field::SramCapacity),
                                                                                               sc.parameters().hardware.sramCapacityBytes))
                           && text->text().endsWith(QStringLiteral(" MiB"));
    QVERIFY(labelled);
    // Bandwidth: GB/s decades.
    choose(core::Field::DramBandwidth);
    QCOMPARE(view.plot()->xAxis->label(), QStringLiteral("Memory bandwidth (GB/s)"));
    for (double t : view.plot()->xAxis->tickVector()) {
        const double gbs = t / 1e9;
        QVERIFY(relClose(gbs, std::pow(10.0, std::round(std::log10(gbs))), 1e-9));
    }
    // The scheme map's axes too.
    SchemeMapView map(&sc);
    QCOMPARE(map.plot()->xAxis->label(), QStringLiteral("Memory bandwidth (GB/s)"));
    QCOMPARE(map.plot()->yAxis->label(), QStringLiteral("Compute (16-bit) P (TFLOP/s)"));
}

void TestCompare::flagsScopeAndStaticPower()
{
    WindowFixture f;
    Scenario &sc = f.scenario;
    QCOMPARE(sc.parameters().scope, core::Scope::Step);
    QCOMPARE(scopeCaption(sc.parameters()), QStringLiteral("attention only"));
    const QLabel *summary = nullptr;
    for (QLabel *l : f.window.findChildren<QLabel *>())
        if (l->text().contains(QStringLiteral(" on ")) && l->text().contains(QStringLiteral("B=")))
            summary = l;
    QVERIFY(summary);
    QVERIFY2(summary->text().endsWith(QStringLiteral("· attention only")), qPrintable(summary->text()));
    core::Parameters kernel = sc.parameters();
    kernel.scope = core::Scope::Kernel;
    QCOMPARE(scopeCaption(kernel), QStringLiteral("one attention kernel"));

    // Zero static power (every shipped preset) is flagged in the energy breakdown; a non-zero one is not.
    EnergyView energy(&sc);
    QCOMPARE(sc.parameters().hardware.staticPowerW, 0.0);
    const auto hasBar = [&](const QString &name) {
        for (int i = 0; i < energy.plot()->plottableCount(); ++i)
            if (energy.plot()->plottable(i)->name() == name)
                return true;
        return false;
    };
    QVERIFY(hasBar(QStringLiteral("static: 0 W")));
    sc.setField(core::Field::StaticPower, 300.0);
    QVERIFY(hasBar(QStringLiteral("static")));
    QVERIFY(!hasBar(QStringLiteral("static: 0 W")));
}

QTEST_MAIN(TestCompare)
#include "tst_compare.moc"
