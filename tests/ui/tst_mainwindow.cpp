// SPDX-License-Identifier: MIT
// The main window and control panel as a user drives them: sliders, undo, files, prompts.
#include "windowfixture.h"
#include "benchui.h"
#include "controlpanel.h"
#include "headlinelabel.h"
#include "mainwindow.h"
#include "scenario.h"
#include "views/explainview.h"
#include "views/plotexporter.h"
#include "views/plotview.h"

#include <QAction>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QScrollArea>
#include <QHash>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QStyleOptionSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QToolButton>
#include <QUndoStack>
#include <QWheelEvent>

#include <nlohmann/json.hpp>

#include <qcustomplot.h>

#include <cmath>
#include <limits>
#include <memory>

using namespace mlastudio;
using mlastudio::ui::HeadlineLabel;
using mlastudio::ui::MainWindow;
using mlastudio::ui::Scenario;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void docksForEveryView();
    void sliderReachesScenarioAndStatusBar();
    void sliderDragIsOneUndoStep();
    void heldSliderDrawsFastUntilRelease();
    void spinBoxAndReset();
    void wheelScrollsPanelUnlessFocused();
    void precisionAndPhaseCombos();
    void prefillShowsQueryLengthIsL();
    void scopeSwitch();
    void headlineTieRule();
    void headlineDrawsItsRuns();
    void headlineCopiesUnchangedRuns();
    void panelGroupBoxPaintsAsQGroupBox();
    void sliderMoveRepaintsOnlyWhatChanged();
    void countSuffixesAreSingularAtOne();
    void invalidInputShowsIssue();
    void openBadFileKeepsState();
    void openGoodFileAndRecent();
    void unsavedChangesPrompt();
    void darkTheme();
    void sliderMapping();
    void benchUiRuns();

private:
    using Fixture = WindowFixture;
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::docksForEveryView()
{
    Fixture f;
    QStringList ids;
    for (QDockWidget *dock : f.window.viewDocks())
        ids << dock->objectName();
    for (const char *id : {"roofline", "throughput", "energy", "scheme-map", "memory", "validation", "explain", "platforms"})
        QVERIFY2(ids.contains(QString::fromLatin1(id)), id);
    QVERIFY(f.window.findChild<QDockWidget *>(QStringLiteral("controls")));
    QCOMPARE(f.window.plotViews().size(), 7);
    QVERIFY(f.window.fileMenu());
    QCOMPARE(f.window.windowTitle(), QStringLiteral("Untitled[*] — MLA Studio"));
    QVERIFY(f.window.headline().startsWith(QStringLiteral("Fastest: MLA (reuse)")));
}

void TestMainWindow::sliderReachesScenarioAndStatusBar()
{
    Fixture f;
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_dram_bandwidth"));
    QVERIFY(slider);
    const double bw = f.scenario.parameters().hardware.dramBandwidthBytesPerS;
    const QString before = f.window.headline();
    slider->setValue(slider->value() - 150);
    QVERIFY(f.scenario.parameters().hardware.dramBandwidthBytesPerS < bw);
    QVERIFY(f.window.headline() != before);
    QVERIFY(f.window.isWindowModified());
    auto *reset = f.window.findChild<QToolButton *>(QStringLiteral("reset_dram_bandwidth"));
    QVERIFY(reset && reset->isVisible());
    auto *label = f.window.findChild<QLabel *>(QStringLiteral("label_dram_bandwidth"));
    QVERIFY(label->font().bold());

    f.window.undoAction()->trigger();
    QCOMPARE(f.scenario.parameters().hardware.dramBandwidthBytesPerS, bw);
    QCOMPARE(f.window.headline(), before);
    QVERIFY(!f.window.isWindowModified());
    QVERIFY(!reset->isVisible());
    QVERIFY(!label->font().bold());
    f.window.redoAction()->trigger();
    QVERIFY(f.scenario.parameters().hardware.dramBandwidthBytesPerS < bw);
}

void TestMainWindow::sliderDragIsOneUndoStep()
{
    Fixture f;
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_kv_length"));
    QVERIFY(slider);
    slider->setSliderDown(true);
    for (int i = 1; i <= 10; ++i)
        slider->setValue(slider->value() + 20);
    slider->setSliderDown(false);  // emits sliderReleased: ends the merge window
    QCOMPARE(f.scenario.undoStack()->count(), 1);
    const long long dragged = f.scenario.parameters().workload.kvLength;
    QVERIFY(dragged > 4096);
    slider->setSliderDown(true);
    slider->setValue(slider->value() + 50);
    slider->setSliderDown(false);
    QCOMPARE(f.scenario.undoStack()->count(), 2);
    f.window.undoAction()->trigger();
    QCOMPARE(f.scenario.parameters().workload.kvLength, dragged);
    f.window.undoAction()->trigger();
    QCOMPARE(f.scenario.parameters().workload.kvLength, 4096LL);
    // The slider follows the undo.
    QCOMPARE(slider->value(), ui::ControlPanel::sliderPosition(core::fieldInfo(core::Field::KvLength), 4096));
}

// Held with the mouse, a slider puts every plot into drag mode (no antialiasing, as QCustomPlot's
// own drags) and holds the explain page back; the release replots every plot antialiased and
// brings the page up to date. An export in the middle of the drag is the antialiased figure.
void TestMainWindow::heldSliderDrawsFastUntilRelease()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_kv_length"));
    auto *explain = f.window.findChild<ui::ExplainView *>();
    QVERIFY(slider && explain && slider->isVisible());
    QList<ui::PlotView *> shown;
    for (ui::PlotView *view : f.window.plotViews()) {
        QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeNone));
        if (view->isVisible())
            shown << view;
    }
    QVERIFY(shown.size() >= 2);
    ui::PlotView *roofline = shown.front();
    QTRY_VERIFY(!explain->html().isEmpty());
    const QString pageBefore = explain->html();
    const long long kvBefore = f.scenario.parameters().workload.kvLength;

    const QPoint grab = handleCentre(slider);
    QTest::mousePress(slider, Qt::LeftButton, {}, grab);
    QVERIFY(slider->isSliderDown());
    for (ui::PlotView *view : f.window.plotViews()) {
        QVERIFY(view->dragMode());
        QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeAll));
    }
    QSignalSpy draggedReplots(roofline->plot(), &QCustomPlot::afterReplot);
    QTest::mouseMove(slider, grab + QPoint(slider->width() / 4, 0));
    QTRY_VERIFY(f.scenario.parameters().workload.kvLength > kvBefore);
    QTRY_VERIFY(draggedReplots.count() >= 1);  // the plots follow the drag, drawn fast
    // Past the explain view's coalescing interval: still the page of the pressed value.
    QTest::qWait(3 * ui::ExplainView::kRefreshMs);
    QCOMPARE(explain->html(), pageBefore);

    ui::ExportOptions o;
    o.dpi = 100.0;
    const QImage duringDrag = ui::PlotExporter::renderImage(roofline, o);
    QVERIFY(!duringDrag.isNull());
    QVERIFY(roofline->dragMode());  // the export put drag mode back
    QCOMPARE(roofline->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeAll));

    const long long kvDragged = f.scenario.parameters().workload.kvLength;
    QList<std::shared_ptr<QSignalSpy>> releaseReplots;
    for (ui::PlotView *view : std::as_const(shown))
        releaseReplots << std::make_shared<QSignalSpy>(view->plot(), &QCustomPlot::afterReplot);
    QTest::mouseRelease(slider, Qt::LeftButton, {}, grab + QPoint(slider->width() / 4, 0));
    QVERIFY(!slider->isSliderDown());
    QCOMPARE(f.scenario.parameters().workload.kvLength, kvDragged);
    QCOMPARE(f.scenario.undoStack()->count(), 1);
    for (ui::PlotView *view : f.window.plotViews()) {
        QVERIFY(!view->dragMode());
        QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeNone));
    }
    for (const auto &spy : std::as_const(releaseReplots))
        QTRY_VERIFY(spy->count() >= 1);  // every shown plot replotted antialiased
    // The explain page catches up once, with the figures of the released value.
    QTRY_VERIFY(explain->html() != pageBefore);
    ui::ExplainView current(&f.scenario);
    QCOMPARE(explain->html(), current.html());

    // The export in the drag was the antialiased figure of the same scenario.
    QCOMPARE(ui::PlotExporter::renderImage(roofline, o), duringDrag);
}

void TestMainWindow::spinBoxAndReset()
{
    Fixture f;
    auto *spin = f.window.findChild<QSpinBox *>(QStringLiteral("spin_batch"));
    QVERIFY(spin);
    spin->setValue(8);
    QCOMPARE(f.scenario.parameters().workload.batch, 8);
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_batch"));
    QCOMPARE(slider->value(), ui::ControlPanel::sliderPosition(core::fieldInfo(core::Field::Batch), 8));
    auto *reset = f.window.findChild<QToolButton *>(QStringLiteral("reset_batch"));
    QVERIFY(reset->isVisible());
    reset->click();
    QCOMPARE(f.scenario.parameters().workload.batch, 1);
    QCOMPARE(spin->value(), 1);
    QVERIFY(!reset->isVisible());
    QCOMPARE(f.scenario.undoStack()->count(), 2);
}

namespace {
void wheelDown(QWidget *w)
{
    const QPointF centre = QRectF(w->rect()).center();
    QWheelEvent ev(centre, w->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &ev);
}
} // namespace

// Ten notches over the panel once moved on-chip bandwidth from 33 to 24.5 TB/s: the wheel changes
// a control only when it has focus, and otherwise scrolls the panel.
void TestMainWindow::wheelScrollsPanelUnlessFocused()
{
    Fixture f;
    f.window.resize(1000, 600);  // the panel is taller than its dock: there is something to scroll
    f.window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&f.window));
    auto *scroll = f.window.findChild<QScrollArea *>(QStringLiteral("controlScroll"));
    QVERIFY(scroll);
    QScrollBar *bar = scroll->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QCOMPARE(bar->value(), 0);
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_dram_bandwidth"));
    auto *spin = f.window.findChild<QAbstractSpinBox *>(QStringLiteral("spin_batch"));
    auto *combo = f.window.findChild<QComboBox *>(QStringLiteral("combo_kv_bits"));
    QVERIFY(slider && spin && combo);
    const core::Parameters before = f.scenario.parameters();
    const int position = slider->value();

    wheelDown(slider);
    QCOMPARE(slider->value(), position);
    QVERIFY(bar->value() > 0);
    int scrolled = bar->value();
    wheelDown(spin);
    QVERIFY(bar->value() > scrolled);
    scrolled = bar->value();
    wheelDown(combo);
    QVERIFY(bar->value() >= scrolled);  // may already be at the bottom
    QCOMPARE(f.scenario.parameters().hardware.dramBandwidthBytesPerS, before.hardware.dramBandwidthBytesPerS);
    QCOMPARE(f.scenario.parameters().workload.batch, before.workload.batch);
    QCOMPARE(f.scenario.parameters().precision.kvBits, before.precision.kvBits);
    QCOMPARE(f.scenario.undoStack()->count(), 0);

    // A wheel over the focused slider is meant for it.
    slider->setFocus(Qt::OtherFocusReason);
    QVERIFY(slider->hasFocus());
    scrolled = bar->value();
    wheelDown(slider);
    QVERIFY(slider->value() < position);
    QVERIFY(f.scenario.parameters().hardware.dramBandwidthBytesPerS < before.hardware.dramBandwidthBytesPerS);
    QCOMPARE(bar->value(), scrolled);
}

void TestMainWindow::precisionAndPhaseCombos()
{
    Fixture f;
    auto *kv = f.window.findChild<QComboBox *>(QStringLiteral("combo_kv_bits"));
    QVERIFY(kv);
    const int index = kv->findData(8);
    QVERIFY(index >= 0);
    kv->activated(index);
    QCOMPARE(f.scenario.parameters().precision.kvBits, 8);
    auto *phase = f.window.findChild<QComboBox *>(QStringLiteral("combo_phase"));
    phase->activated(phase->findData(int(core::Phase::Prefill)));
    QCOMPARE(f.scenario.parameters().workload.phase, core::Phase::Prefill);
    QVERIFY(!f.scenario.results().empty());
    auto *hw = f.window.findChild<QComboBox *>(QStringLiteral("combo_hardware"));
    hw->activated(hw->findData(QStringLiteral("h200")));
    QCOMPARE(f.scenario.hardwarePresetId(), QStringLiteral("h200"));
    QCOMPARE(f.scenario.parameters().precision.kvBits, 8);
    f.scenario.undoStack()->undo();
    QCOMPARE(hw->currentData().toString(), QStringLiteral("h100-sxm"));
}

// "Attention only / Whole model": the panel switch sets the scenario's scope (one undo step), the
// status bar says which, and the results follow.
void TestMainWindow::scopeSwitch()
{
    Fixture f;
    auto *scope = f.window.findChild<QComboBox *>(QStringLiteral("combo_scope"));
    auto *summary = f.window.findChild<QLabel *>(QStringLiteral("summary"));
    QVERIFY(scope && summary);
    QCOMPARE(scope->currentData().toInt(), int(core::Scope::Step));
    QVERIFY2(summary->text().endsWith(QStringLiteral("attention only")), qPrintable(summary->text()));
    const double attentionOnly = f.scenario.result(core::Scheme::MlaReuse)->timeS;
    const int steps = f.scenario.undoStack()->index();
    scope->activated(scope->findData(int(core::Scope::Model)));
    QCOMPARE(f.scenario.parameters().scope, core::Scope::Model);
    QCOMPARE(f.scenario.undoStack()->index(), steps + 1);
    QVERIFY2(summary->text().endsWith(QStringLiteral("whole model")), qPrintable(summary->text()));
    const core::StepResult *whole = f.scenario.result(core::Scheme::MlaReuse);
    QVERIFY(whole->timeS > attentionOnly);
    QCOMPARE(whole->attentionTimeS, attentionOnly);
    // The headline says how much of the leader's step is attention (MLA (reuse) leads by default).
    QVERIFY2(f.window.headline().startsWith(QStringLiteral("Fastest: MLA (reuse)")), qPrintable(f.window.headline()));
    const QString share = QStringLiteral("attention %1 % of the time").arg(QString::number(100.0 * attentionOnly / whole->timeS, 'f', 0));
    QVERIFY2(f.window.headline().contains(share), qPrintable(f.window.headline() + QStringLiteral(" / ") + share));
    f.scenario.undoStack()->undo();
    QVERIFY(!f.window.headline().contains(QStringLiteral("of the time")));
    QCOMPARE(scope->currentData().toInt(), int(core::Scope::Step));
    QCOMPARE(f.scenario.result(core::Scheme::MlaReuse)->timeS, attentionOnly);
}

// Prefill uses S = L: the S control is disabled and says so; decode gets the user's S back.
void TestMainWindow::prefillShowsQueryLengthIsL()
{
    Fixture f;
    auto *spin = f.window.findChild<QSpinBox *>(QStringLiteral("spin_query_length"));
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_query_length"));
    QVERIFY(spin && slider);
    spin->setValue(4);
    QCOMPARE(f.scenario.parameters().workload.queryLength, 4);
    QVERIFY(spin->isEnabled() && slider->isEnabled());
    auto *phase = f.window.findChild<QComboBox *>(QStringLiteral("combo_phase"));
    phase->activated(phase->findData(int(core::Phase::Prefill)));
    QCOMPARE(f.scenario.parameters().workload.phase, core::Phase::Prefill);
    QVERIFY(!spin->isEnabled());
    QVERIFY(!slider->isEnabled());
    QCOMPARE(spin->text(), QStringLiteral("S = L = 4096"));
    QCOMPARE(f.scenario.parameters().workload.queryLength, 4);  // kept for decode, not overwritten
    auto *kv = f.window.findChild<QSpinBox *>(QStringLiteral("spin_kv_length"));
    kv->setValue(2048);
    QCOMPARE(spin->text(), QStringLiteral("S = L = 2048"));
    phase->activated(phase->findData(int(core::Phase::Decode)));
    QVERIFY(spin->isEnabled() && slider->isEnabled());
    QCOMPARE(spin->value(), 4);
    QCOMPARE(spin->maximum(), int(core::fieldInfo(core::Field::QueryLength).max));
    QCOMPARE(spin->text(), QStringLiteral("4 tokens"));
    f.scenario.undoStack()->undo();  // back to prefill through undo: the panel follows
    QVERIFY(!spin->isEnabled());
}

// The status bar follows the scheme map's rule: a lead under 2 % is a tie, not "Fastest".
void TestMainWindow::headlineTieRule()
{
    Fixture f;
    for (core::Scheme s : core::kAllSchemes)
        f.scenario.setSchemeVisible(s, s == core::Scheme::MlaReuse || s == core::Scheme::MlaRecompute);
    auto *query = f.window.findChild<QSpinBox *>(QStringLiteral("spin_query_length"));
    const auto rates = [&] {
        return std::pair(f.scenario.result(core::Scheme::MlaReuse)->tokensPerS,
                         f.scenario.result(core::Scheme::MlaRecompute)->tokensPerS);
    };
    // S = 64 on DeepSeek-V3 / H100, L = 4096: reuse reads the latent once, recompute pays for the
    // up-projections; reuse wins by well over 2 %.
    query->setValue(64);
    auto [reuse, recompute] = rates();
    QVERIFY(reuse > 1.3 * recompute);
    QVERIFY2(f.window.headline().startsWith(QStringLiteral("Fastest: MLA (reuse) — ")), qPrintable(f.window.headline()));
    // Near the crossover (S = 140) the two differ by under 2 %: a tie, faster one first.
    query->setValue(140);
    std::tie(reuse, recompute) = rates();
    QVERIFY2(std::max(reuse, recompute) < 1.02 * std::min(reuse, recompute), qPrintable(QString::number(reuse / recompute)));
    QVERIFY(reuse != recompute);
    const QString tie = reuse > recompute ? QStringLiteral("MLA (reuse) and MLA (recompute) tie (within 2 %) — ")
                                          : QStringLiteral("MLA (recompute) and MLA (reuse) tie (within 2 %) — ");
    QVERIFY2(f.window.headline().startsWith(tie), qPrintable(f.window.headline()));
    QVERIFY(!f.window.headline().contains(QStringLiteral("Fastest")));
}

namespace {
int alertPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += c.red() > 150 && c.green() < 90 && c.blue() < 90;
        }
    return n;
}
} // namespace

// The headline is drawn run by run (no rich-text document): the leader in bold, "does not fit" in red.
void TestMainWindow::headlineDrawsItsRuns()
{
    Fixture f;
    auto *headline = f.window.findChild<HeadlineLabel *>(QStringLiteral("headline"));
    QVERIFY(headline);
    QTRY_VERIFY(headline->isVisible());
    QCOMPARE(headline->runs().at(1), (HeadlineLabel::Run{QStringLiteral("MLA (reuse)"), true, false}));
    QCOMPARE(alertPixels(headline->grab().toImage()), 0);

    // 400 requests of 4096 tokens need more than the H100's 80 GB (198 fit).
    f.scenario.setField(core::Field::Batch, 400);
    QVERIFY2(f.window.headline().contains(QStringLiteral(" (does not fit in DRAM)")), qPrintable(f.window.headline()));
    QCOMPARE(headline->runs().count(HeadlineLabel::Run{QStringLiteral("(does not fit in DRAM)"), false, true}), 1);
    // It measures what it draws: the sum of the runs' advances, each in its own font.
    int width = 0;
    for (const HeadlineLabel::Run &run : headline->runs()) {
        QFont font = headline->font();
        font.setBold(run.bold);
        width += QFontMetrics(font).horizontalAdvance(run.text);
    }
    QCOMPARE(headline->sizeHint().width(), width + headline->contentsMargins().left() + headline->contentsMargins().right());
    QTRY_VERIFY(headline->width() >= headline->sizeHint().width());  // the status bar gives it that room
    QTRY_VERIFY(alertPixels(headline->grab().toImage()) > 20);
    QCOMPARE(headline->accessibleName(), f.window.headline());
}

// A black run drawn again unchanged is copied from an image of it: the same pixels as drawn directly,
// also next to a changed run, in bold and next to the alert colour. Other colours are drawn directly.
void TestMainWindow::headlineCopiesUnchangedRuns()
{
    using Run = HeadlineLabel::Run;
    const QList<Run> runs{Run{QStringLiteral("Fastest: ")}, Run{QStringLiteral("MLA (reuse)"), true},
                          Run{QStringLiteral(" — 145 tokens/s, 3.19× MHA")}, Run{QStringLiteral(" ")},
                          Run{QStringLiteral("(does not fit in DRAM)"), false, true}};
    HeadlineLabel label;
    QCOMPARE(label.palette().color(QPalette::WindowText), QColor(Qt::black));
    label.setRuns(runs);
    label.resize(label.sizeHint() + QSize(20, 4));
    const QImage direct = label.grab().toImage();
    QCOMPARE(label.cachedRunCount(), 0);  // a text shown once is drawn, not rendered into an image
    const QImage copied = label.grab().toImage();
    QCOMPARE(label.cachedRunCount(), int(runs.size()) - 1);  // not the red one
    QCOMPARE(copied, direct);

    QList<Run> changed = runs;
    changed[2].text = QStringLiteral(" — 151 tokens/s, 3.02× MHA");
    label.setRuns(changed);
    const QImage mixed = label.grab().toImage();
    QCOMPARE(label.cachedRunCount(), int(runs.size()) - 2);
    HeadlineLabel fresh;
    fresh.setRuns(changed);
    fresh.resize(label.size());
    QCOMPARE(mixed, fresh.grab().toImage());
    QCOMPARE(label.grab().toImage(), mixed);
    QCOMPARE(label.cachedRunCount(), int(runs.size()) - 1);

    // Another text colour: drawn directly, in that colour.
    QPalette palette = label.palette();
    palette.setColor(QPalette::WindowText, QColor(20, 60, 200));
    label.setPalette(palette);
    fresh.setPalette(palette);
    const QImage recoloured = label.grab().toImage();
    QVERIFY(recoloured != mixed);
    QCOMPARE(recoloured, fresh.grab().toImage());
    QCOMPARE(label.grab().toImage(), recoloured);
    QCOMPARE(label.cachedRunCount(), 0);
}

namespace {
/** Counts the paint events of the watched widgets. */
struct PaintCount : QObject {
    QHash<QObject *, int> paints;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints[watched];
        return false;
    }
};

QImage screenPixels(QWidget *window)
{
    return window->screen()->grabWindow(window->winId()).toImage();
}
} // namespace

// On screen (the backing store, as partial repaints leave it), a panel group box drawn from its image
// has QGroupBox's pixels: at first, after a slider inside it moved, after a new title and in a dark
// palette. Its parent is not painted again beneath a moving slider.
void TestMainWindow::panelGroupBoxPaintsAsQGroupBox()
{
    struct Side {
        QWidget window;
        QGroupBox *box = nullptr;
        QSlider *slider = nullptr;
        explicit Side(QGroupBox *groupBox)
            : box(groupBox)
        {
            window.setAutoFillBackground(true);  // as the scroll area fills the panel
            window.resize(360, 200);
            box->setParent(&window);
            box->setGeometry(13, 17, 320, 150);
            slider = new QSlider(Qt::Horizontal, box);
            slider->setRange(0, 1000);
            slider->setGeometry(10, 40, 300, 22);
            window.show();
        }
    };
    Side cached(new ui::PanelGroupBox(QStringLiteral("Hardware")));
    Side plain(new QGroupBox(QStringLiteral("Hardware")));
    QVERIFY(QTest::qWaitForWindowExposed(&cached.window) && QTest::qWaitForWindowExposed(&plain.window));
    auto *box = static_cast<ui::PanelGroupBox *>(cached.box);
    const auto settle = [&] {
        box->update();
        QTRY_VERIFY(box->paintedFromImage());
        QTRY_COMPARE(screenPixels(&cached.window), screenPixels(&plain.window));
    };
    settle();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(box->testAttribute(Qt::WA_OpaquePaintEvent));

    PaintCount count;
    cached.window.installEventFilter(&count);
    plain.window.installEventFilter(&count);
    for (int value : {100, 420, 421, 999}) {
        cached.slider->setValue(value);
        plain.slider->setValue(value);
        QCoreApplication::processEvents();
        QCOMPARE(screenPixels(&cached.window), screenPixels(&plain.window));
    }
    QCOMPARE(count.paints.value(&cached.window), 0);
    QVERIFY(count.paints.value(&plain.window) > 0);  // what the optimisation saves
    QVERIFY(box->paintedFromImage());

    cached.box->setTitle(QStringLiteral("Kernel efficiency"));
    plain.box->setTitle(QStringLiteral("Kernel efficiency"));
    settle();
    if (QTest::currentTestFailed())
        return;
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(45, 45, 48));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    cached.window.setPalette(dark);
    plain.window.setPalette(dark);
    settle();
}

// A slider move repaints the slider, its spin box and the headline, and not the control panel beneath
// the group boxes or the status bar beneath its labels. (The window itself still repaints where the
// status bar's growing headline moves the docks.)
void TestMainWindow::sliderMoveRepaintsOnlyWhatChanged()
{
    Fixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    auto *slider = f.window.findChild<QSlider *>(QStringLiteral("slider_kv_length"));
    auto *panel = f.window.findChild<ui::ControlPanel *>();
    auto *headline = f.window.findChild<HeadlineLabel *>(QStringLiteral("headline"));
    QVERIFY(slider && panel && headline);
    QTRY_VERIFY(slider->isVisible());
    auto *box = dynamic_cast<ui::PanelGroupBox *>(slider->parentWidget());
    QVERIFY(box);
    // The first change makes the label bold and shows its reset button (a new layout): after it, the
    // drag's moves.
    slider->setSliderDown(true);
    slider->setSliderPosition(slider->sliderPosition() + 50);
    QTRY_VERIFY(f.window.findChild<QToolButton *>(QStringLiteral("reset_kv_length"))->isVisible());
    f.window.repaint();
    QCoreApplication::processEvents();
    QVERIFY(box->testAttribute(Qt::WA_OpaquePaintEvent));
    PaintCount count;
    for (QWidget *w : std::initializer_list<QWidget *>{panel, f.window.statusBar(), slider, headline})
        w->installEventFilter(&count);
    const QString before = f.window.headline();
    slider->setSliderPosition(slider->sliderPosition() + 50);
    QTRY_VERIFY(count.paints.value(slider) > 0);
    QTRY_VERIFY(count.paints.value(headline) > 0);
    QVERIFY(f.window.headline() != before);
    QCoreApplication::processEvents();
    QCOMPARE(count.paints.value(panel), 0);
    QCOMPARE(count.paints.value(f.window.statusBar()), 0);
    slider->setSliderDown(false);
}

// "1 requests" read wrongly: a count unit is singular at one.
void TestMainWindow::countSuffixesAreSingularAtOne()
{
    Fixture f;
    auto *batch = f.window.findChild<QSpinBox *>(QStringLiteral("spin_batch"));
    QVERIFY(batch);
    QCOMPARE(f.scenario.parameters().workload.batch, 1);
    QCOMPARE(batch->text(), QStringLiteral("1 request"));
    batch->setValue(8);
    QCOMPARE(batch->text(), QStringLiteral("8 requests"));
    auto *query = f.window.findChild<QSpinBox *>(QStringLiteral("spin_query_length"));
    QCOMPARE(query->text(), QStringLiteral("1 token"));
    query->setValue(2);
    QCOMPARE(query->text(), QStringLiteral("2 tokens"));
    f.scenario.undoStack()->undo();
    f.scenario.undoStack()->undo();
    QCOMPARE(batch->text(), QStringLiteral("1 request"));
    QCOMPARE(query->text(), QStringLiteral("1 token"));
}

void TestMainWindow::invalidInputShowsIssue()
{
    Fixture f;
    auto *spin = f.window.findChild<QSpinBox *>(QStringLiteral("spin_num_kv_heads"));
    QVERIFY(spin);
    spin->setValue(7);
    // In the panel's words: the control's label, not the internal id.
    QVERIFY2(f.window.headline().startsWith(QStringLiteral("Invalid input: GQA KV heads: must divide the number of heads (128), got 7")),
             qPrintable(f.window.headline()));
    f.window.undoAction()->trigger();
    QVERIFY(f.window.headline().startsWith(QStringLiteral("Fastest")));
}

void TestMainWindow::openBadFileKeepsState()
{
    Fixture f;
    f.scenario.setField(core::Field::Batch, 4);
    const nlohmann::json before = f.scenario.toJson();
    const QString path = m_dir.filePath(QStringLiteral("broken.mlastudio.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": "mlastudio.scenario/1", "model_preset": 42})");
    file.close();
    QVERIFY(!f.window.openFile(path));
    QCOMPARE(f.warnings.size(), 1);
    QVERIFY2(f.warnings.front().contains(path) && f.warnings.front().contains(QStringLiteral("model_preset")),
             qPrintable(f.warnings.front()));
    QVERIFY(f.scenario.toJson() == before);
    QCOMPARE(f.scenario.parameters().workload.batch, 4);
    QVERIFY(f.window.recentFiles().isEmpty());
}

void TestMainWindow::openGoodFileAndRecent()
{
    Fixture f;
    const QString path = m_dir.filePath(QStringLiteral("good.mlastudio.json"));
    {
        Scenario other;
        other.setField(core::Field::KvLength, 65536);
        QCOMPARE(other.save(path), QString());
    }
    QVERIFY(f.window.openFile(path));
    QCOMPARE(f.scenario.parameters().workload.kvLength, 65536LL);
    QCOMPARE(f.window.windowTitle(), QStringLiteral("good.mlastudio.json[*] — MLA Studio"));
    QVERIFY(!f.window.isWindowModified());
    QCOMPARE(f.window.recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    auto *spin = f.window.findChild<QSpinBox *>(QStringLiteral("spin_kv_length"));
    QCOMPARE(spin->value(), 65536);

    f.scenario.setField(core::Field::Batch, 2);
    const QString copy = m_dir.filePath(QStringLiteral("copy.mlastudio.json"));
    QVERIFY(f.window.saveFile(copy));
    QVERIFY(!f.window.isWindowModified());
    QCOMPARE(f.window.recentFiles().size(), 2);
    QVERIFY(!f.window.saveFile(m_dir.filePath(QStringLiteral("missing/dir/x.mlastudio.json"))));
    QCOMPARE(f.warnings.size(), 1);
}

void TestMainWindow::unsavedChangesPrompt()
{
    Fixture f;
    const QString path = m_dir.filePath(QStringLiteral("prompt.mlastudio.json"));
    {
        Scenario other;
        QCOMPARE(other.save(path), QString());
    }
    f.scenario.setField(core::Field::Batch, 16);
    int asked = 0;
    f.window.setConfirmDiscard([&] {
        ++asked;
        return QMessageBox::Cancel;
    });
    QVERIFY(!f.window.openFile(path));
    QCOMPARE(asked, 1);
    QCOMPARE(f.scenario.parameters().workload.batch, 16);
    QVERIFY(!f.window.close());  // cancelled
    QCOMPARE(asked, 2);

    f.window.setConfirmDiscard([&] {
        ++asked;
        return QMessageBox::Discard;
    });
    QVERIFY(f.window.openFile(path));
    QCOMPARE(f.scenario.parameters().workload.batch, 1);
    QVERIFY(f.window.close());  // unmodified: no question
    QCOMPARE(asked, 3);
}

void TestMainWindow::darkTheme()
{
    Fixture f;
    f.window.setTheme(QStringLiteral("dark"));
    QCOMPARE(f.scenario.viewSettings().theme, ui::ThemeId::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
    QVERIFY(!f.scenario.isModified());
    QVERIFY(f.window.close());
    QCOMPARE(QSettings().value(QStringLiteral("ui/theme")).toString(), QStringLiteral("dark"));
    {
        Fixture g;  // the theme persists
        QCOMPARE(g.window.theme(), QStringLiteral("dark"));
        g.window.setTheme(QStringLiteral("light"));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
    }
}

// Every field's slider, against the mapping the panel promises (linear, or logarithmic when the
// field says so and its minimum is positive), with nothing clamped into range to hide a wrong formula.
void TestMainWindow::sliderMapping()
{
    using ui::ControlPanel;
    constexpr int steps = ControlPanel::kSliderSteps;
    int checked = 0;
    for (const core::FieldInfo &info : core::allFields()) {
        const QString name = QString::fromUtf8(info.id.data(), qsizetype(info.id.size()));
        const bool log = info.logScale && info.min > 0.0;
        // The continuous map, from the field's own range.
        const auto ideal = [&](int position) {
            const double t = double(position) / steps;
            return log ? info.min * std::pow(info.max / info.min, t) : info.min + t * (info.max - info.min);
        };
        // What rounding the displayed value may add: half a snap step for ranks and dims (multiples
        // of 64), half a unit for integers, three significant digits (at most 0.5 % of the value) for
        // logarithmic values, none for linear ones.
        const auto tolerance = [&](double value) {
            if (info.step > 0.0)
                return 0.5 * info.step;
            if (info.integer)
                return 0.5;
            if (log)
                return 0.005 * value;
            return 1e-12 * (info.max - info.min);
        };
        QCOMPARE(ControlPanel::sliderValue(info, 0), info.min);
        QCOMPARE(ControlPanel::sliderValue(info, steps), info.max);
        QCOMPARE(ControlPanel::sliderPosition(info, info.min), 0);
        QCOMPARE(ControlPanel::sliderPosition(info, info.max), steps);
        double previous = -std::numeric_limits<double>::infinity();
        for (int p = 0; p <= steps; ++p) {
            const double v = ControlPanel::sliderValue(info, p);
            const double g = ideal(p);
            QVERIFY2(std::abs(v - g) <= tolerance(g) * (1.0 + 1e-9),
                     qPrintable(QStringLiteral("%1 at %2: %3, expected %4").arg(name).arg(p).arg(v).arg(g)));
            QVERIFY2(v >= previous, qPrintable(QStringLiteral("%1 not monotonic at %2").arg(name).arg(p)));
            previous = v;
            if (info.integer) {
                QCOMPARE(v, std::round(v));
                // The slider set to the value's position shows the same value again.
                QVERIFY2(ControlPanel::sliderValue(info, ControlPanel::sliderPosition(info, v)) == v,
                         qPrintable(QStringLiteral("%1 = %2 does not round-trip").arg(name).arg(v)));
            } else {
                QVERIFY2(std::abs(ControlPanel::sliderPosition(info, v) - p) <= 1,
                         qPrintable(QStringLiteral("%1 = %2 maps back to %3, not %4")
                                        .arg(name).arg(v).arg(ControlPanel::sliderPosition(info, v)).arg(p)));
            }
        }
        ++checked;
    }
    QCOMPARE(checked, core::kFieldCount);

    // Hand-derived midpoints, one of each kind.
    const auto mid = [](core::Field f) { return ControlPanel::sliderValue(core::fieldInfo(f), steps / 2); };
    QCOMPARE(mid(core::Field::DramBandwidth), 141.0);  // log, 1 .. 20000 GB/s: sqrt(20000) = 141.42, 3 digits
    QCOMPARE(mid(core::Field::EnergyDram), 3.16);      // log, 0.01 .. 1000 pJ/bit: 0.01 * sqrt(1e5)
    QCOMPARE(mid(core::Field::Batch), 64.0);           // log integer, 1 .. 4096: sqrt(4096)
    QCOMPARE(mid(core::Field::KvLength), 11585.0);     // log integer, 128 .. 2^20: 2^13.5 = 11585.2
    QCOMPARE(mid(core::Field::WeightBits), 10.0);      // linear integer, 4 .. 16
    QCOMPARE(mid(core::Field::KvLoraRank), 2048.0);    // linear integer, 0 .. 4096
    QCOMPARE(mid(core::Field::ComputeDerate), 0.505);  // linear, 0.01 .. 1
    QCOMPARE(mid(core::Field::StaticPower), 1000.0);   // linear, 0 .. 2000 W
    // Values outside the slider's range sit at its ends.
    const core::FieldInfo &bw = core::fieldInfo(core::Field::DramBandwidth);
    QCOMPARE(ControlPanel::sliderPosition(bw, 0.5), 0);
    QCOMPARE(ControlPanel::sliderPosition(bw, 1e6), steps);
}

void TestMainWindow::benchUiRuns()
{
    QString text;
    QTextStream out(&text);
    QCOMPARE(ui::runBenchUi(out, 24), 0);
    QVERIFY2(text.contains(QStringLiteral("p50")) && text.contains(QStringLiteral("p95")), qPrintable(text));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
