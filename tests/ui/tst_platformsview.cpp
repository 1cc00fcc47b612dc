// SPDX-License-Identifier: MIT
// The Platforms view: bars are single evaluations, groups follow machine balance, the picker and the
// normalisation round-trip through a saved scenario, a click is one undo step, and the figure's
// texts and legends stay inside the figure and off the bars.
#include "presetregistry.h"
#include "scenario.h"
#include "views/explainview.h"
#include "views/platformsview.h"
#include "views/plotexporter.h"
#include "views/viewfactory.h"

#include "mlastudio/core/platforms.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QComboBox>
#include <QPicture>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace mlastudio;
using namespace mlastudio::ui;

namespace {

core::HardwareConfig presetHardware(const std::string &id)
{
    for (const core::HardwarePreset &h : Scenario::presetRegistry().hardware())
        if (h.config.id == id)
            return h.config;
    qFatal("no preset %s", id.c_str());
}

// The view's throughput bars of one scheme (fitting and hatched), as key → value.
QMap<double, double> throughputBars(PlatformsView &view, core::Scheme scheme)
{
    QMap<double, double> out;
    QCustomPlot *p = view.plot();
    for (int i = 0; i < p->plottableCount(); ++i) {
        auto *b = qobject_cast<QCPBars *>(p->plottable(i));
        if (!b || b->keyAxis() != p->axisRect()->axis(QCPAxis::atBottom) || b->property("scheme").toInt() != int(scheme)
            || !b->property("scheme").isValid())
            continue;
        for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
            out.insert(it->key, it->value);
    }
    return out;
}

// Lays the figure out at an export size as the exporter does.
void layOut(PlatformsView &view, int w, int h)
{
    view.arrangeForSize(QSize(w, h));
    for (int pass = 0; pass < 2; ++pass) {
        QPicture scratch;
        QCPPainter painter(&scratch);
        painter.setMode(QCPPainter::pmVectorized);
        view.plot()->toPainter(&painter, w, h);
    }
}

} // namespace

class TestPlatformsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void barsAreSingleEvaluations();
    void orderPickerAndRoundTrip();
    void normalisationSwitch();
    void clickChoosesHardwareInOneUndoStep();
    void hoverAndStability();
    void figureLayout_data();
    void figureLayout();
};

void TestPlatformsView::barsAreSingleEvaluations()
{
    Scenario sc;
    sc.setField(core::Field::Batch, 64);
    sc.endMerge();
    std::unique_ptr<PlotView> base(createPlotView(QStringLiteral("platforms"), &sc));
    auto &view = *qobject_cast<PlatformsView *>(base.get());
    view.ensureCurrent();
    view.refresh();
    QCOMPARE(int(view.rows().size()), int(Scenario::presetRegistry().hardware().size()));
    QVERIFY(!view.schemes().empty());
    for (std::size_t i = 0; i < view.rows().size(); ++i) {
        const core::PlatformRow &row = view.rows()[i];
        core::Parameters p = sc.parameters();
        p.hardware = presetHardware(row.hardware.id);
        for (std::size_t j = 0; j < view.schemes().size(); ++j) {
            const core::PlatformCell &c = row.cells[j];
            QVERIFY(c.valid);
            const core::StepResult r = core::evaluate(p, c.scheme);
            QCOMPARE(c.result.tokensPerS, r.tokensPerS);
            QCOMPARE(c.result.energyPerTokenJ, r.energyPerTokenJ);
            // The drawn bar is that value (log axis: clamped at its floor only when smaller).
            const QMap<double, double> bars = throughputBars(view, c.scheme);
            const double key = double(i) - 0.41 + 0.82 / double(view.schemes().size()) * (double(j) + 0.5);
            auto it = bars.lowerBound(key - 1e-9);
            QVERIFY(it != bars.end() && std::abs(it.key() - key) < 1e-9);
            QCOMPARE(it.value(), std::max(r.tokensPerS, view.plot()->axisRect()->axis(QCPAxis::atLeft)->range().lower));
        }
    }
}

void TestPlatformsView::orderPickerAndRoundTrip()
{
    Scenario sc;
    ViewSettings v = sc.viewSettings();
    v.platforms = {QStringLiteral("h100-sxm"), QStringLiteral("a100-80gb"), QStringLiteral("edge-template")};
    v.platformNormalization = core::Normalization::FractionOfPeak;
    sc.setViewSettings(v);
    PlatformsView view(&sc);
    view.refresh();
    // Machine balance: edge template 64, A100 80GB 153, H100 295 FLOP/B.
    QCOMPARE(int(view.rows().size()), 3);
    QCOMPARE(view.rows()[0].hardware.id, std::string("edge-template"));
    QCOMPARE(view.rows()[1].hardware.id, std::string("a100-80gb"));
    QCOMPARE(view.rows()[2].hardware.id, std::string("h100-sxm"));
    // Saved and reopened: the same picker and normalisation.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.mlastudio.json"));
    QCOMPARE(sc.save(path), QString());
    Scenario reopened;
    QCOMPARE(reopened.open(path), QString());
    QCOMPARE(reopened.viewSettings().platforms, v.platforms);
    QCOMPARE(reopened.viewSettings().platformNormalization, core::Normalization::FractionOfPeak);
    // A bad normalisation in the file names the field and keeps the state.
    nlohmann::json j = sc.toJson();
    j["view"]["platform_normalization"] = "fastest";
    const QString error = reopened.loadJson(j, QStringLiteral("bad.json"));
    QVERIFY2(error.contains(QLatin1String("view.platform_normalization")), qPrintable(error));
    QCOMPARE(reopened.viewSettings().platformNormalization, core::Normalization::FractionOfPeak);
    // The picker's menu unchecks a platform: one undo step that the view follows.
    QToolButton *picker = view.findChild<QToolButton *>();
    QVERIFY(picker && picker->menu());
    for (QAction *a : picker->menu()->actions())
        if (a->data().toString() == QLatin1String("a100-80gb"))
            a->setChecked(false);
    // Stored in the registry's order.
    QCOMPARE(sc.viewSettings().platforms, (QStringList{QStringLiteral("edge-template"), QStringLiteral("h100-sxm")}));
    view.refresh();
    QCOMPARE(int(view.rows().size()), 2);
    sc.undoStack()->undo();
    QCOMPARE(sc.viewSettings().platforms, v.platforms);
}

void TestPlatformsView::normalisationSwitch()
{
    Scenario sc;
    ViewSettings v = sc.viewSettings();
    v.platforms = {QStringLiteral("h100-sxm"), QStringLiteral("a100-80gb")};
    sc.setViewSettings(v);
    PlatformsView view(&sc);
    view.refresh();
    auto *combo = view.findChild<QComboBox *>();
    QVERIFY(combo);
    const int index = combo->findData(int(core::Normalization::RelativeToMha));
    combo->setCurrentIndex(index);
    emit combo->activated(index);
    QCOMPARE(sc.viewSettings().platformNormalization, core::Normalization::RelativeToMha);
    view.refresh();
    // Each bar is the speed-up over MHA on its own platform, by hand from two evaluations.
    for (std::size_t i = 0; i < view.rows().size(); ++i) {
        core::Parameters p = sc.parameters();
        p.hardware = presetHardware(view.rows()[i].hardware.id);
        const double mha = core::evaluate(p, core::Scheme::Mha).tokensPerS;
        const QMap<double, double> bars = throughputBars(view, core::Scheme::MlaReuse);
        const double expected = core::evaluate(p, core::Scheme::MlaReuse).tokensPerS / mha;
        bool found = false;
        for (auto it = bars.constBegin(); it != bars.constEnd(); ++it)
            if (std::abs(it.key() - double(i)) < 0.5) {
                QVERIFY(std::abs(it.value() - expected) < 1e-12 * expected);
                found = true;
            }
        QVERIFY(found);
    }
    sc.undoStack()->undo();
    QCOMPARE(sc.viewSettings().platformNormalization, core::Normalization::Absolute);
}

void TestPlatformsView::clickChoosesHardwareInOneUndoStep()
{
    Scenario sc;
    ViewSettings v = sc.viewSettings();
    v.platforms = {QStringLiteral("h100-sxm"), QStringLiteral("a100-80gb"), QStringLiteral("tpu-v5e")};
    sc.setViewSettings(v);
    PlatformsView view(&sc);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.plot()->replot();
    QCOMPARE(view.rows()[0].hardware.id, std::string("a100-80gb"));
    const int steps = sc.undoStack()->count();
    QCPAxisRect *energy = view.energyRect();
    const QPoint at(int(energy->axis(QCPAxis::atBottom)->coordToPixel(0.0)), energy->rect().center().y());
    QCOMPARE(view.groupAt(at), 0);
    QTest::mouseClick(view.plot(), Qt::LeftButton, {}, at);
    QCOMPARE(sc.hardwarePresetId(), QStringLiteral("a100-80gb"));
    QCOMPARE(sc.undoStack()->count(), steps + 1);
    sc.undoStack()->undo();
    QCOMPARE(sc.hardwarePresetId(), QStringLiteral("h100-sxm"));
    // Outside any group: nothing happens.
    QTest::mouseClick(view.plot(), Qt::LeftButton, {}, QPoint(2, 2));
    QCOMPARE(sc.hardwarePresetId(), QStringLiteral("h100-sxm"));
}

void TestPlatformsView::hoverAndStability()
{
    Scenario sc;
    PlatformsView view(&sc);
    view.refresh();
    int h100 = -1;
    for (std::size_t i = 0; i < view.rows().size(); ++i)
        if (view.rows()[i].hardware.id == "h100-sxm")
            h100 = int(i);
    QVERIFY(h100 >= 0);
    const QString hover = view.hoverText(h100);
    QVERIFY2(hover.contains(QLatin1String("NVIDIA H100 SXM5 80GB")), qPrintable(hover));
    QVERIFY(hover.contains(QLatin1String("Winner: ")));
    QVERIFY(hover.contains(QLatin1String("DRAM")) || hover.contains(QLatin1String("compute")));
    QVERIFY(view.hoverText(-1).isEmpty());
    // The readout gives the core's figures for each scheme.
    const auto figures = core::stabilityOf(view.rows(), view.schemes());
    const QString text = view.stabilityText();
    QVERIFY(text.contains(QStringLiteral("over %1 platforms").arg(view.rows().size())));
    for (const core::Stability &s : figures)
        QVERIFY2(text.contains(QStringLiteral("CV %1").arg(QString::number(s.coefficientOfVariation, 'f', 3))), qPrintable(text));
    // The explain view gives the explained scheme's spread over the same platforms.
    ExplainView explain(&sc);
    explain.refresh();
    const QString html = explain.html();
    QVERIFY(html.contains(QLatin1String("Across platforms")));
    int matched = 0;
    for (const core::Stability &s : figures)
        if (s.scheme == sc.viewSettings().explainScheme) {
            QVERIFY2(html.contains(QStringLiteral("CV %1.").arg(QString::number(s.coefficientOfVariation, 'f', 3))), qPrintable(html));
            ++matched;
        }
    QCOMPARE(matched, 1);
}

void TestPlatformsView::figureLayout_data()
{
    QTest::addColumn<QString>("size");
    QTest::newRow("single-column") << QStringLiteral("single-column");
    QTest::newRow("double-column") << QStringLiteral("double-column");
    QTest::newRow("slide") << QStringLiteral("slide");
}

void TestPlatformsView::figureLayout()
{
    QFETCH(QString, size);
    Scenario sc;
    QCOMPARE(sc.open(QStringLiteral(MLASTUDIO_SOURCE_DIR "/presets/scenarios/platform-comparison.mlastudio.json")), QString());
    PlatformsView view(&sc);
    view.refresh();
    ExportOptions o;
    QVERIFY(o.setSizeString(size));
    const QSizeF inches = o.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * 96)), h = int(std::lround(inches.height() * 96));
    layOut(view, w, h);
    const QRect figure(0, 0, w, h);
    QCustomPlot *p = view.plot();
    QList<QCPLayoutElement *> texts;
    for (QCPLayoutElement *el : p->plotLayout()->elements(true))
        if (el && (qobject_cast<QCPTextElement *>(el) || qobject_cast<QCPLegend *>(el)))
            texts << el;
    QCOMPARE(texts.size(), 4);  // caption, readout, two legends
    const QList<QCPAxisRect *> rects = p->axisRects();
    QCOMPARE(rects.size(), 2);
    for (QCPLayoutElement *el : texts) {
        // Inside the figure, as large as its text needs (not squeezed), and off both panels.
        QVERIFY2(figure.contains(el->outerRect()), qPrintable(QStringLiteral("%1 outside %2x%3").arg(el->metaObject()->className()).arg(w).arg(h)));
        QVERIFY2(el->outerRect().height() >= el->minimumOuterSizeHint().height() - 1, el->metaObject()->className());
        QVERIFY2(el->outerRect().width() >= el->minimumOuterSizeHint().width() - 1, el->metaObject()->className());
        for (QCPAxisRect *r : rects)
            QVERIFY(!el->outerRect().intersects(r->rect()));
    }
    // The panels with their tick labels and axis labels (their margins) lie inside the figure.
    for (QCPAxisRect *r : rects) {
        QVERIFY(figure.contains(r->outerRect()));
        QVERIFY2(r->rect().height() > 20, qPrintable(QString::number(r->rect().height())));
    }
    // The rotated platform labels fit in the lower panel's bottom margin.
    QCPAxis *labels = view.energyRect()->axis(QCPAxis::atBottom);
    const QFontMetricsF fm(labels->tickLabelFont());
    double longest = 0.0;
    for (const QString &label : qSharedPointerCast<QCPAxisTickerText>(labels->ticker())->ticks())
        longest = std::max(longest, fm.horizontalAdvance(label));
    const double rotation = labels->tickLabelRotation() * M_PI / 180.0;
    QVERIFY(view.energyRect()->margins().bottom() >= longest * std::sin(rotation) - 1);
    QVERIFY(view.energyRect()->outerRect().bottom() <= h);
    // And it renders headless like the other views.
    QVERIFY(!PlotExporter::renderImage(&view, o).isNull());
}

QTEST_MAIN(TestPlatformsView)
#include "tst_platformsview.moc"
