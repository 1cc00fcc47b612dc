// SPDX-License-Identifier: MIT
// Presentation mode, decks, Play and axis lock as a lecturer uses them: real keys on shown windows,
// real deck and scenario files, real PDF files.
#include "windowfixture.h"
#include "writefaults.h"

#include "controlpanel.h"
#include "deck.h"
#include "fieldplayer.h"
#include "mainwindow.h"
#include "presentationwindow.h"
#include "scenario.h"
#include "schemestyle.h"
#include "views/figurelayout.h"
#include "views/plotview.h"
#include "views/rooflineview.h"
#include "views/sweepview.h"
#include "views/viewfactory.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QRegularExpression>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStyleOptionSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace mlastudio;
using namespace mlastudio::ui;

namespace {

QString writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return QStringLiteral("cannot write ") + path;
    return {};
}

// A scenario file: the default scenario with \p batch requests.
nlohmann::json scenarioWithBatch(int batch)
{
    Scenario s;
    s.setField(core::Field::Batch, batch);
    return s.toJson();
}

int pageCount(const QByteArray &pdf)
{
    // Page objects only: "/Type /Pages" is the page tree.
    int n = 0;
    for (qsizetype at = pdf.indexOf("/Type /Page"); at >= 0; at = pdf.indexOf("/Type /Page", at + 1))
        if (pdf.mid(at + 11, 1) != "s")
            ++n;
    return n;
}

} // namespace

class TestPresentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void f11TogglesAndRestores();
    void ctrlPlusZoomsText();
    void directLabelsNameThePoints();
    void sweepViewsNameEachCurve_data();
    void sweepViewsNameEachCurve();
    void rooflineNamesAreClear_data();
    void rooflineNamesAreClear();
    void deckAxisTitlesStayInside_data();
    void deckAxisTitlesStayInside();
    void operatorsBoxStaysInTheMainWindow();
    void pageDownAppliesDeckSteps();
    void deckErrorsNameFileAndEntry();
    void builtinDeckHasSixSteps();
    void deckPdfHasOnePagePerStep();
    void failedDeckWriteKeepsOldFile();
    void playSweepsFieldAndStops();
    void playStopsOnUserInput();
    void axisLockKeepsRanges();
    void presentOnTheCommandLine();
    void boundaryNamesRoundTrip();
    void windowFitsSmallScreens_data();
    void windowFitsSmallScreens();
    void windowFitsScreenChild();
    void heldSliderDrawsFastUntilRelease();
    void sweepLegendGoesWhenLabelsNameEveryCurve();
    void coincidentMarkersAllShow_data();
    void coincidentMarkersAllShow();
    void presentTellsDeckFromScenarioByContent();

private:
    QTemporaryDir m_dir;
};

void TestPresentation::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestPresentation::init()
{
    QSettings().clear();
}

void TestPresentation::f11TogglesAndRestores()
{
    WindowFixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    QTest::qWait(50);  // the default dock sizes are applied after the first layout
    // Work with the energy view (a tab behind throughput): presentation opens on it.
    QDockWidget *energy = f.window.findChild<QDockWidget *>(QStringLiteral("energy"));
    energy->raise();
    QTest::mouseClick(energy->widget(), Qt::LeftButton);
    QTRY_COMPARE(f.window.activeView()->viewId(), QStringLiteral("energy"));
    const QRect geometry = f.window.geometry();
    const Qt::WindowStates states = f.window.windowState();
    const QByteArray dockState = f.window.saveState();
    QList<ThemeId> themes;
    for (PlotView *v : f.window.plotViews())
        themes << v->theme().id;
    QCOMPARE(themes.first(), ThemeId::Light);

    QTest::keyClick(&f.window, Qt::Key_F11);
    QVERIFY(f.window.isPresenting());
    PresentationWindow *p = f.window.presentation();
    QVERIFY(p->isFullScreen());
    QVERIFY(QTest::qWaitForWindowExposed(p));
    QCOMPARE(p->view()->theme().id, ThemeId::Slides);
    QCOMPARE(p->view()->theme().fontPointSize, FigureTheme::preset(ThemeId::Slides).fontPointSize);
    QCOMPARE(p->viewId(), ViewId::Energy);  // the active view
    QVERIFY(p->view()->axesLocked());
    QVERIFY(f.window.findChild<QAction *>(QStringLiteral("action_presentation"))->isChecked());
    // The document's own views keep their theme while presenting.
    QCOMPARE(f.window.plotViews().first()->theme().id, ThemeId::Light);

    QTest::keyClick(p, Qt::Key_F11);
    QTRY_VERIFY(!f.window.isPresenting());
    QCOMPARE(f.window.geometry(), geometry);
    QCOMPARE(f.window.windowState(), states);
    QCOMPARE(f.window.saveState(), dockState);
    QList<ThemeId> after;
    for (PlotView *v : f.window.plotViews())
        after << v->theme().id;
    QCOMPARE(after, themes);
    QVERIFY(!f.window.findChild<QAction *>(QStringLiteral("action_presentation"))->isChecked());
    QTest::qWait(20);
    QCOMPARE(f.window.activeView()->viewId(), QStringLiteral("energy"));
    QVERIFY(energy->isVisible());

    // Esc leaves too, and the view chosen is the active one.
    f.window.setPresentation(true);
    QTRY_VERIFY(QTest::qWaitForWindowExposed(f.window.presentation()));
    QTest::keyClick(f.window.presentation(), Qt::Key_Escape);
    QTRY_VERIFY(!f.window.isPresenting());
}

void TestPresentation::ctrlPlusZoomsText()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    const double base = p->view()->plot()->xAxis->tickLabelFont().pointSizeF();
    QCOMPARE(base, 16.0);  // the slides theme
    const double caption = p->findChild<QLabel *>(QStringLiteral("caption"))->font().pointSizeF();

    QTest::keyClick(p, Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(p->zoom(), 1.25);
    QCOMPARE(p->view()->plot()->xAxis->tickLabelFont().pointSizeF(), 20.0);
    QCOMPARE(p->view()->plot()->xAxis->labelFont().pointSizeF(), 20.0);
    QVERIFY(p->findChild<QLabel *>(QStringLiteral("caption"))->font().pointSizeF() > caption);
    QTest::keyClick(p, Qt::Key_Plus, Qt::ControlModifier);
    QCOMPARE(p->view()->plot()->xAxis->tickLabelFont().pointSizeF(), 25.0);
    QTest::keyClick(p, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(p->view()->plot()->xAxis->tickLabelFont().pointSizeF(), 16.0);
    QTest::keyClick(p, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(p->view()->plot()->xAxis->tickLabelFont().pointSizeF(), 16.0 / 1.25);
    // A new view keeps the zoom.
    QTest::keyClick(p, Qt::Key_2);
    QCOMPARE(p->viewId(), ViewId::Throughput);
    QCOMPARE(p->view()->plot()->xAxis->tickLabelFont().pointSizeF(), 16.0 / 1.25);
}

namespace {

// The visible text items of a plot (labels placed by the layout pass; not the legend).
QStringList visibleTexts(QCustomPlot *plot)
{
    QStringList texts;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *text = qobject_cast<QCPItemText *>(plot->item(i)); text && text->visible())
            texts << text->text();
    return texts;
}

} // namespace

void TestPresentation::directLabelsNameThePoints()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    // A projector's 1280 × 720 (the offscreen screen is smaller): a label that fits nowhere is hidden.
    p->setWindowState(Qt::WindowNoState);
    p->resize(1280, 720);
    QTest::keyClick(p, Qt::Key_1);
    QCOMPARE(p->viewId(), ViewId::Roofline);
    QVERIFY(p->view()->directLabels());
    QTRY_VERIFY(p->view()->plot()->width() > 700);
    p->view()->plot()->replot();  // the layout pass places (or hides) the labels
    const QStringList shown = visibleTexts(p->view()->plot());
    for (const QString &name : {QStringLiteral("MHA"), QStringLiteral("MLA (reuse)"), QStringLiteral("MLA (recompute)")})
        QVERIFY2(shown.count(name) == 1, qPrintable(name + QStringLiteral(" in ") + shown.join(QStringLiteral(" | "))));
    // The window's own roofline keeps its legend only.
    for (PlotView *v : f.window.plotViews())
        if (v->viewId() == QLatin1String("roofline")) {
            QVERIFY(!v->directLabels());
            QVERIFY(!visibleTexts(v->plot()).contains(QStringLiteral("MLA (reuse)")));
        }
}

void TestPresentation::sweepViewsNameEachCurve_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("axis");  // the throughput axis of the scenario
    QTest::newRow("throughput 1280") << int(Qt::Key_2) << QSize(1280, 720) << QStringLiteral("batch");
    QTest::newRow("throughput 1920") << int(Qt::Key_2) << QSize(1920, 1080) << QStringLiteral("batch");
    QTest::newRow("energy 1280") << int(Qt::Key_3) << QSize(1280, 720) << QStringLiteral("kv_length");
    QTest::newRow("energy 1920") << int(Qt::Key_3) << QSize(1920, 1080) << QStringLiteral("kv_length");
}

// In presentation mode the throughput and energy views name each visible scheme's curve on the plot:
// one label per scheme, in its curve's colour, beside its curve, inside the axes, overlapping no other
// label and no marker; the main window's views keep their legend only.
void TestPresentation::sweepViewsNameEachCurve()
{
    QFETCH(int, key);
    QFETCH(QSize, size);
    QFETCH(QString, axis);
    WindowFixture f;
    // Four curves, not the default three: more labels to place.
    f.scenario.setSchemeVisible(core::Scheme::MlaReuseMerged, true);
    ViewSettings vs = f.scenario.viewSettings();
    vs.throughputAxis = *core::sweepAxisFromId(axis.toStdString());
    f.scenario.setViewSettings(vs);
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(size);
    QTest::keyClick(p, Qt::Key(key));
    QCOMPARE(p->viewId(), key == Qt::Key_2 ? ViewId::Throughput : ViewId::Energy);
    QVERIFY(p->view()->directLabels());
    QCustomPlot *plot = p->view()->plot();
    QTRY_VERIFY(plot->width() > size.width() / 2);
    plot->replot();  // the layout pass places the labels

    const std::vector<core::Scheme> schemes = f.scenario.visibleSchemes();
    QCOMPARE(int(schemes.size()), 4);
    const QRectF figure = plot->rect();
    const QRectF axes = plot->axisRect()->rect();
    const QVector<QRectF> markers = figuregeometry::markerRects(plot);
    QVector<QRectF> boxes;
    for (core::Scheme scheme : schemes) {
        const QString name = schemeName(scheme);
        QCPItemText *label = nullptr;
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(plot->item(i)); t && t->visible() && t->text() == name) {
                QVERIFY2(!label, qPrintable(name + QStringLiteral(" labelled twice")));
                label = t;
            }
        QVERIFY2(label, qPrintable(name + QStringLiteral(" has no label")));
        // Its curve: the part that fits in DRAM and the dotted part that does not.
        QCPGraph *curve = nullptr;
        QVector<QCPGraph *> parts;
        for (int i = 0; i < plot->graphCount(); ++i)
            if (plot->graph(i)->name() == name)
                parts.prepend(curve = plot->graph(i));
            else if (plot->graph(i)->name() == name + QStringLiteral(" (does not fit in DRAM)"))
                parts.append(plot->graph(i));
        QVERIFY(curve);
        QCOMPARE(label->color(), curve->pen().color());
        const QRectF box = figuregeometry::textBox(label);
        QVERIFY2(figure.contains(box) && axes.contains(box), qPrintable(name));
        for (const QRectF &m : markers)
            QVERIFY2(!box.intersects(m.adjusted(1, 1, -1, -1)), qPrintable(name + QStringLiteral(" covers a marker")));
        for (const QRectF &other : boxes)
            QVERIFY2(!box.intersects(other), qPrintable(name + QStringLiteral(" overlaps another label")));
        boxes << box;
        // Beside its own curve: some drawn vertex within a label's height of the box.
        double nearest = std::numeric_limits<double>::infinity();
        for (QCPGraph *g : parts)
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                if (!std::isfinite(it->value))
                    continue;
                const QPointF px(plot->xAxis->coordToPixel(it->key), plot->yAxis->coordToPixel(it->value));
                const double dx = std::max({box.left() - px.x(), 0.0, px.x() - box.right()});
                const double dy = std::max({box.top() - px.y(), 0.0, px.y() - box.bottom()});
                nearest = std::min(nearest, std::hypot(dx, dy));
            }
        QVERIFY2(nearest < box.height(), qPrintable(QStringLiteral("%1 is %2 px from its curve").arg(name).arg(nearest)));
    }
    // The main window's sweep views draw no names on the plot.
    for (PlotView *v : f.window.plotViews())
        if (v->viewId() == QLatin1String("throughput") || v->viewId() == QLatin1String("energy")) {
            QVERIFY(!v->directLabels());
            v->plot()->replot();
            QVERIFY(!visibleTexts(v->plot()).contains(schemeName(core::Scheme::MlaReuse)));
        }
}

void TestPresentation::rooflineNamesAreClear_data()
{
    QTest::addColumn<QString>("scenarioPath");
    QTest::addColumn<QSize>("size");
    const QDir dir(QStringLiteral(":/presets/scenarios"));
    const QStringList names = dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 7);
    for (const QString &name : names)
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)})
            QTest::addRow("%s %d", qPrintable(name.section(QLatin1Char('.'), 0, 0)), size.width()) << dir.filePath(name) << size;
}

// The roofline's point names in presentation mode, for every shipped scenario on a projector: each
// visible scheme is named once beside its point or, when its point has no free spot (two points on
// one spot of a roof), in the caption; no name overlaps another label, covers a marker or is crossed
// by a roof (a ridge's dotted drop line it may cross).
void TestPresentation::rooflineNamesAreClear()
{
    QFETCH(QString, scenarioPath);
    QFETCH(QSize, size);
    WindowFixture f;
    QCOMPARE(f.scenario.open(scenarioPath), QString());
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(size);
    p->setView(ViewId::Roofline);
    QCustomPlot *plot = p->view()->plot();
    QTRY_VERIFY(plot->width() > size.width() / 2);
    plot->replot();

    QString caption;
    for (QCPLayoutElement *el : plot->plotLayout()->elements(true))
        if (auto *te = qobject_cast<QCPTextElement *>(el))
            caption += te->text() + QLatin1Char(' ');
    caption.replace(QLatin1Char('\n'), QLatin1Char(' '));
    QVector<QPair<QString, QRectF>> labels;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(plot->item(i)); t && t->visible() && !t->text().isEmpty())
            labels.push_back({t->text(), figuregeometry::textBox(t)});
    const QVector<QRectF> markers = figuregeometry::markerRects(plot);
    const QVector<QLineF> lines = figuregeometry::lineSegments(plot, figuregeometry::Lines::Graphs);  // the roofs (graphs), not the drop lines
    QVERIFY(!lines.isEmpty());  // the roofs
    const QRectF axes = plot->axisRect()->rect();
    int named = 0, inCaption = 0;
    for (const core::Scheme scheme : f.scenario.visibleSchemes()) {
        if (!f.scenario.result(scheme))
            continue;
        const QString name = schemeName(scheme);
        QRectF box;
        int count = 0;
        for (const auto &l : labels)
            if (l.first == name) {
                box = l.second;
                ++count;
            }
        QVERIFY2(count <= 1, qPrintable(name + QStringLiteral(" named twice")));
        if (count == 0) {
            QVERIFY2(caption.contains(name + QStringLiteral(" at ")), qPrintable(name + QStringLiteral(" neither on the plot nor in: ") + caption));
            ++inCaption;
            continue;
        }
        QVERIFY2(!caption.contains(name + QStringLiteral(" at ")), qPrintable(name + QStringLiteral(" on the plot and in the caption")));
        ++named;
        QVERIFY2(axes.contains(box), qPrintable(name + QStringLiteral(" leaves the axes")));
        for (const auto &other : labels)
            if (other.first != name) {
                const QRectF i = box.intersected(other.second);
                QVERIFY2(i.isEmpty() || i.width() <= 0.5 || i.height() <= 0.5,
                         qPrintable(QStringLiteral("%1 overlaps \"%2\"").arg(name, other.first)));
            }
        for (const QRectF &m : markers)
            QVERIFY2(!box.intersects(m.adjusted(1, 1, -1, -1)), qPrintable(name + QStringLiteral(" covers a marker")));
        for (const QLineF &seg : lines)
            QVERIFY2(!figuregeometry::intersects(seg, box.adjusted(0.5, 0.5, -0.5, -0.5)),
                     qPrintable(QStringLiteral("%1 crossed by the roof %2,%3 – %4,%5").arg(name).arg(seg.x1()).arg(seg.y1()).arg(seg.x2()).arg(seg.y2())));
    }
    QVERIFY(named >= 1);
    QVERIFY(named + inCaption >= 2);
}

void TestPresentation::deckAxisTitlesStayInside_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<QSize>("size");
    for (const ViewId id : kAllPlotViews)
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)})
            QTest::addRow("%s %d", qPrintable(viewIdName(id)), size.width()) << int(id) << size;
}

// A deck step's caption above the view takes height from the plot: at every step of the built-in
// deck, in every view, each axis title (full or short) lies inside the figure.
void TestPresentation::deckAxisTitlesStayInside()
{
    QFETCH(int, view);
    QFETCH(QSize, size);
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(size);
    QVERIFY(p->deck().steps.size() >= 6);
    for (int step = 0; step < int(p->deck().steps.size()); ++step) {
        QCOMPARE(p->goToStep(step), QString());
        p->setView(ViewId(view));
        QVERIFY(p->findChild<QLabel *>(QStringLiteral("caption"))->isVisible());
        QCustomPlot *plot = p->view()->plot();
        QTRY_VERIFY(plot->width() > size.width() / 2);
        plot->replot();
        const QRectF figure = QRectF(plot->rect()).adjusted(-0.5, -0.5, 0.5, 0.5);
        int titles = 0;
        for (QCPAxisRect *rect : plot->axisRects()) {
            if (!rect->visible())
                continue;
            for (QCPAxis *axis : rect->axes()) {
                const QRectF title = figuregeometry::axisTitleRect(axis);
                if (title.isEmpty())
                    continue;
                ++titles;
                QVERIFY2(figure.contains(title), qPrintable(QStringLiteral("step %1: axis title \"%2\" (%3,%4 %5×%6) leaves the %7×%8 figure")
                                                                .arg(step + 1).arg(axis->label()).arg(title.x()).arg(title.y())
                                                                .arg(title.width()).arg(title.height()).arg(plot->width()).arg(plot->height())));
            }
        }
        QVERIFY(titles >= 2);
    }
}

// Presentation mode has its own controls: the roofline there shows no Operators box, but it follows
// the scenario's view.show_operators, which the main window's box sets.
void TestPresentation::operatorsBoxStaysInTheMainWindow()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    QTest::keyClick(p, Qt::Key_1);
    auto *roofline = qobject_cast<RooflineView *>(p->view());
    QVERIFY(roofline);
    QVERIFY(!roofline->operatorsBox()->isVisibleTo(p));
    // Another view and back: a fresh roofline, still without the box.
    QTest::keyClick(p, Qt::Key_2);
    QTest::keyClick(p, Qt::Key_1);
    roofline = qobject_cast<RooflineView *>(p->view());
    QVERIFY(!roofline->operatorsBox()->isVisibleTo(p));
    // The setting still reaches it: the presentation's roofline draws each scheme's operator points.
    const auto operatorPoints = [&] {
        int n = 0;
        for (int i = 0; i < roofline->plot()->graphCount(); ++i)
            if (roofline->plot()->graph(i)->name().endsWith(QStringLiteral(" operators")))
                n += roofline->plot()->graph(i)->dataCount();
        return n;
    };
    QCOMPARE(operatorPoints(), 0);
    ViewSettings vs = f.scenario.viewSettings();
    vs.showOperators = true;
    f.scenario.setViewSettings(vs);
    roofline->plot()->replot();
    QVERIFY(operatorPoints() > 0);
    // Leaving presentation mode: the main window's roofline has its box, checked.
    f.window.setPresentation(false);
    for (PlotView *v : f.window.plotViews())
        if (auto *r = qobject_cast<RooflineView *>(v)) {
            QVERIFY(r->operatorsBox()->isVisibleTo(&f.window));
            QVERIFY(r->operatorsBox()->isChecked());
        }
}

void TestPresentation::pageDownAppliesDeckSteps()
{
    const QString scenarioPath = m_dir.filePath(QStringLiteral("seven.mlastudio.json"));
    QCOMPARE(writeFile(scenarioPath, QByteArray::fromStdString(scenarioWithBatch(7).dump())), QString());
    nlohmann::json deck = {{"schema", kDeckSchema},
                           {"title", "Test deck"},
                           {"steps",
                            {{{"scenario", "seven.mlastudio.json"}, {"caption", "Seven requests"}, {"view", "roofline"}},
                             {{"scenario", scenarioWithBatch(13)}, {"caption", "Thirteen requests"}, {"view", "memory"}}}}};
    const QString deckPath = m_dir.filePath(QStringLiteral("test.deck.json"));
    QCOMPARE(writeFile(deckPath, QByteArray::fromStdString(deck.dump(2))), QString());

    WindowFixture f;
    f.scenario.setField(core::Field::Batch, 3);
    QCOMPARE(f.window.presentDeck(deckPath), QString());
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    QCOMPARE(p->step(), 0);
    QCOMPARE(p->scenario()->parameters().workload.batch, 7);
    QCOMPARE(p->caption(), QStringLiteral("Seven requests"));
    auto *caption = p->findChild<QLabel *>(QStringLiteral("caption"));
    QVERIFY(caption->isVisible());
    QVERIFY(caption->text().contains(QStringLiteral("Seven requests")));
    QVERIFY(caption->text().contains(QStringLiteral("1 / 2")));
    QCOMPARE(p->viewId(), ViewId::Roofline);
    // The deck's slider follows the step's scenario.
    auto *batch = p->findChild<QSlider *>(QStringLiteral("slider_batch"));
    QCOMPARE(ControlPanel::sliderValue(core::fieldInfo(core::Field::Batch), batch->value()), 7.0);

    QTest::keyClick(p, Qt::Key_PageDown);
    QCOMPARE(p->step(), 1);
    QCOMPARE(p->scenario()->parameters().workload.batch, 13);
    QCOMPARE(p->caption(), QStringLiteral("Thirteen requests"));
    QVERIFY(caption->text().contains(QStringLiteral("Thirteen requests")));
    QCOMPARE(p->viewId(), ViewId::Memory);
    QCOMPARE(p->view()->scenario(), p->scenario());
    QCOMPARE(ControlPanel::sliderValue(core::fieldInfo(core::Field::Batch), batch->value()), 13.0);
    QTest::keyClick(p, Qt::Key_PageDown);  // past the end: stays
    QCOMPARE(p->step(), 1);
    QTest::keyClick(p, Qt::Key_PageUp);
    QCOMPARE(p->step(), 0);
    QCOMPARE(p->scenario()->parameters().workload.batch, 7);
    // The document was never touched.
    QCOMPARE(f.scenario.parameters().workload.batch, 3);
    QTest::keyClick(p, Qt::Key_Escape);
    QTRY_VERIFY(!f.window.isPresenting());
    QCOMPARE(f.scenario.parameters().workload.batch, 3);
}

void TestPresentation::deckErrorsNameFileAndEntry()
{
    const auto deckError = [this](const QString &name, const nlohmann::json &steps) {
        const QString path = m_dir.filePath(name);
        const nlohmann::json deck = {{"schema", kDeckSchema}, {"steps", steps}};
        if (!writeFile(path, QByteArray::fromStdString(deck.dump())).isEmpty())
            return QStringLiteral("(not written)");
        Deck d;
        return loadDeck(path, &d);
    };
    const nlohmann::json good = {{"scenario", scenarioWithBatch(2)}, {"caption", "fine"}};

    QString e = deckError(QStringLiteral("badview.deck.json"),
                          {good, {{"scenario", scenarioWithBatch(2)}, {"caption", "x"}, {"view", "rooflin"}}});
    QVERIFY2(e.startsWith(m_dir.filePath(QStringLiteral("badview.deck.json")) + QStringLiteral(": step 2 (steps[1]): view:")), qPrintable(e));
    QVERIFY2(e.contains(QStringLiteral("\"rooflin\"")) && e.contains(QStringLiteral("scheme-map")), qPrintable(e));

    e = deckError(QStringLiteral("missing.deck.json"), {{{"scenario", "nowhere.mlastudio.json"}, {"caption", "x"}}});
    QVERIFY2(e.startsWith(m_dir.filePath(QStringLiteral("missing.deck.json")) + QStringLiteral(": step 1 (steps[0]): scenario \"nowhere.mlastudio.json\"")),
             qPrintable(e));

    nlohmann::json broken = scenarioWithBatch(2);
    broken["parameters"]["workload"]["batch"] = -4;
    e = deckError(QStringLiteral("broken.deck.json"), {good, good, {{"scenario", broken}, {"caption", "x"}}});
    QVERIFY2(e.contains(QStringLiteral("broken.deck.json: step 3 (steps[2]): ")) && e.contains(QStringLiteral("batch")), qPrintable(e));

    e = deckError(QStringLiteral("nocaption.deck.json"), {{{"scenario", scenarioWithBatch(2)}}});
    QVERIFY2(e.contains(QStringLiteral("nocaption.deck.json: step 1 (steps[0]): caption")), qPrintable(e));

    e = deckError(QStringLiteral("typo.deck.json"), {{{"scenario", scenarioWithBatch(2)}, {"caption", "x"}, {"veiw", "memory"}}});
    QVERIFY2(e.contains(QStringLiteral("typo.deck.json: step 1 (steps[0]): unknown key \"veiw\"")), qPrintable(e));

    const QString notJson = m_dir.filePath(QStringLiteral("garbage.deck.json"));
    QCOMPARE(writeFile(notJson, "{\"schema\": "), QString());
    Deck d;
    e = loadDeck(notJson, &d);
    QVERIFY2(e.startsWith(notJson + QStringLiteral(": not valid JSON")), qPrintable(e));

    // The window says so and stays as it was.
    WindowFixture f;
    QVERIFY(!f.window.presentDeck(m_dir.filePath(QStringLiteral("badview.deck.json"))).isEmpty());
    QCOMPARE(f.warnings.size(), 1);
    QVERIFY(f.warnings.first().contains(QStringLiteral("badview.deck.json: step 2")));
    QVERIFY(!f.window.isPresenting());
}

void TestPresentation::builtinDeckHasSixSteps()
{
    Deck deck;
    QCOMPARE(loadDeck(QString::fromLatin1(kBuiltinDeckPath), &deck), QString());
    QCOMPARE(deck.title, QStringLiteral("MLA in six steps"));
    QCOMPARE(int(deck.steps.size()), 6);
    QCOMPARE(deck.steps[0].view, ViewId::Roofline);
    QCOMPARE(deck.steps[0].source, QStringLiteral(":/presets/scenarios/roofline-shift-h100.mlastudio.json"));
    QCOMPARE(deck.steps[5].view, ViewId::Platforms);
    // Step 2 is the long-context scenario: L = 32K, B = 16 (presets/scenarios/hbm-gpu-long-context).
    Scenario s;
    QCOMPARE(applyDeckStep(deck, 1, &s), QString());
    QCOMPARE(s.parameters().workload.kvLength, 32768);
    QCOMPARE(s.parameters().workload.batch, 16);
}

void TestPresentation::deckPdfHasOnePagePerStep()
{
    WindowFixture f;
    const QString pdf = m_dir.filePath(QStringLiteral("handout.pdf"));
    QCOMPARE(f.window.exportDeck(QString::fromLatin1(kBuiltinDeckPath), pdf), QString());
    const QByteArray bytes = writefaults::readAll(pdf);
    QVERIFY(bytes.startsWith("%PDF-"));
    QCOMPARE(pageCount(bytes), 6);

    // The command line writes the same number of pages for a deck file of two steps.
    const nlohmann::json deck = {{"schema", kDeckSchema},
                                 {"steps",
                                  {{{"scenario", scenarioWithBatch(4)}, {"caption", "one"}},
                                   {{"scenario", scenarioWithBatch(8)}, {"caption", "two"}, {"view", "energy"}}}}};
    const QString deckPath = m_dir.filePath(QStringLiteral("two.deck.json"));
    QCOMPARE(writeFile(deckPath, QByteArray::fromStdString(deck.dump())), QString());
    const QString cliPdf = m_dir.filePath(QStringLiteral("two.pdf"));
    QProcess cli;
    cli.start(QStringLiteral(MLASTUDIO_BINARY), {QStringLiteral("deck"), deckPath, QStringLiteral("--out"), cliPdf});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(pageCount(writefaults::readAll(cliPdf)), 2);
    QVERIFY(QString::fromUtf8(cli.readAllStandardOutput()).contains(QStringLiteral("(2 pages)")));
}

void TestPresentation::failedDeckWriteKeepsOldFile()
{
    WindowFixture f;
    const QString pdf = m_dir.filePath(QStringLiteral("old.pdf"));
    const QByteArray old("an older handout");
    QCOMPARE(writeFile(pdf, old), QString());
    QString error;
    {
        const writefaults::FileSizeLimit limit(1000);  // every PDF page is larger
        QVERIFY(limit.ok());
        error = f.window.exportDeck(QString::fromLatin1(kBuiltinDeckPath), pdf);
    }
    QVERIFY2(error.startsWith(QStringLiteral("Cannot write ") + pdf), qPrintable(error));
    QCOMPARE(f.warnings.size(), 1);
    QCOMPARE(writefaults::readAll(pdf), old);
    QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("old.pdf*")}, QDir::Files | QDir::Hidden), QStringList{QStringLiteral("old.pdf")});
}

void TestPresentation::playSweepsFieldAndStops()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    FieldPlayer *player = p->player();
    player->setInterval(1);
    player->setFrames(12);
    player->setField(core::Field::Batch);
    const core::FieldInfo &batch = core::fieldInfo(core::Field::Batch);
    QVector<int> seen;
    connect(player, &FieldPlayer::frameShown, this, [&] { seen << f.scenario.parameters().workload.batch; });
    const int undoBefore = f.scenario.undoStack()->count();

    auto *play = p->findChild<QPushButton *>(QStringLiteral("button_play"));
    QTest::mouseClick(play, Qt::LeftButton);  // the press on the button itself does not stop it
    QVERIFY(player->isPlaying());
    QTRY_VERIFY(!player->isPlaying());
    QCOMPARE(seen.size(), 12);
    QCOMPARE(seen.first(), int(batch.min));
    QCOMPARE(seen.last(), int(batch.max));
    QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
    // Log-spaced: the middle frame is near the geometric mean, far below the arithmetic one.
    QVERIFY2(seen.at(6) < (batch.min + batch.max) / 4, qPrintable(QString::number(seen.at(6))));
    QCOMPARE(f.scenario.parameters().workload.batch, int(batch.max));
    QCOMPARE(f.scenario.undoStack()->count(), undoBefore + 1);
    f.scenario.undoStack()->undo();
    QCOMPARE(f.scenario.parameters().workload.batch, 1);  // the default scenario's batch
}

void TestPresentation::playStopsOnUserInput()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    FieldPlayer *player = p->player();
    player->setInterval(10000);  // one frame, then it waits
    player->setField(core::Field::KvLength);
    player->start();
    QVERIFY(player->isPlaying());
    QCOMPARE(f.scenario.parameters().workload.kvLength, int(core::fieldInfo(core::Field::KvLength).min));
    QTest::mouseClick(p->view()->plot(), Qt::LeftButton);
    QVERIFY(!player->isPlaying());
    QCOMPARE(p->findChild<QPushButton *>(QStringLiteral("button_play"))->text(), QStringLiteral("▶ Play"));
}

void TestPresentation::axisLockKeepsRanges()
{
    Scenario s;
    std::unique_ptr<PlotView> view(createPlotView(ViewId::Roofline, &s));
    view->resize(800, 500);
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    const auto ranges = [&] {
        return std::pair{view->plot()->xAxis->range(), view->plot()->yAxis->range()};
    };
    // Unlocked, ten times the compute moves the roofline's frame (so the lock below is what holds it).
    const auto before = ranges();
    s.setField(core::Field::PeakCompute, core::fieldValue(s.parameters(), core::Field::PeakCompute) * 10);
    const auto moved = ranges();
    QVERIFY(moved.second != before.second);

    view->setAxesLocked(true);
    s.setField(core::Field::PeakCompute, core::fieldValue(s.parameters(), core::Field::PeakCompute) / 100);
    s.setField(core::Field::DramBandwidth, core::fieldValue(s.parameters(), core::Field::DramBandwidth) * 5);
    QCOMPARE(ranges().first, moved.first);
    QCOMPARE(ranges().second, moved.second);
    view->setAxesLocked(false);
    QVERIFY(ranges().second != moved.second);

    // A locked sweep that changes its x axis (KV length to batch) is locked at the new quantity's range.
    std::unique_ptr<PlotView> sweep(createPlotView(ViewId::Throughput, &s));
    sweep->resize(800, 500);
    sweep->show();
    QVERIFY(QTest::qWaitForWindowExposed(sweep.get()));
    sweep->setAxesLocked(true);
    const QCPRange kvRange = sweep->plot()->xAxis->range();
    ViewSettings v = s.viewSettings();
    v.throughputAxis = core::SweepAxis::Batch;
    s.setViewSettings(v);
    const QCPRange batchRange = sweep->plot()->xAxis->range();
    QVERIFY(batchRange != kvRange);
    s.setField(core::Field::Batch, 3);
    QCOMPARE(sweep->plot()->xAxis->range(), batchRange);

    // View → Lock Axes locks every view of the window.
    WindowFixture f;
    auto *lock = f.window.findChild<QAction *>(QStringLiteral("action_lock_axes"));
    lock->trigger();
    for (PlotView *plotView : f.window.plotViews())
        QVERIFY2(plotView->axesLocked(), qPrintable(plotView->viewId()));
}

void TestPresentation::presentOnTheCommandLine()
{
    // The real program: `mla-studio --present FILE` starts in presentation mode, on a scenario or on
    // the first step of a deck (the test hook of app/main.cpp prints the windows once started).
    const QString scenarioPath = m_dir.filePath(QStringLiteral("nine.mlastudio.json"));
    QCOMPARE(writeFile(scenarioPath, QByteArray::fromStdString(scenarioWithBatch(9).dump())), QString());
    const nlohmann::json deck = {{"schema", kDeckSchema},
                                 {"steps", {{{"scenario", "nine.mlastudio.json"}, {"caption", "nine"}, {"view", "energy"}}}}};
    const QString deckPath = m_dir.filePath(QStringLiteral("cli.deck.json"));
    QCOMPARE(writeFile(deckPath, QByteArray::fromStdString(deck.dump())), QString());
    const QString home = m_dir.filePath(QStringLiteral("cli-home"));
    QVERIFY(QDir().mkpath(home));

    const auto startLine = [&](const QStringList &args) {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("MLASTUDIO_TEST_RECOVERY"), QStringLiteral("discard"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(MLASTUDIO_BINARY), args);
        QString err;
        for (int i = 0; i < 600 && !err.contains(QStringLiteral("test: started")); ++i) {  // at most a minute
            app.waitForReadyRead(100);
            err += QString::fromLocal8Bit(app.readAllStandardError());
        }
        app.kill();
        app.waitForFinished(10000);
        static const QRegularExpression re(QStringLiteral("mla-studio: test: started, [^\n]*"));
        return re.match(err).captured(0);
    };
    QString line = startLine({QStringLiteral("--present"), deckPath});
    QVERIFY2(line.contains(QStringLiteral("Untitled batch=1 modified=0 presenting view=energy step=1 step-batch=9")), qPrintable(line));
    line = startLine({QStringLiteral("--present"), scenarioPath});
    QVERIFY2(line.contains(scenarioPath + QStringLiteral(" batch=9 modified=0 presenting view=roofline step=0 step-batch=9")),
             qPrintable(line));
    line = startLine({QStringLiteral("--present")});
    QVERIFY2(line.contains(QStringLiteral("presenting view=roofline step=0")), qPrintable(line));
}

namespace {

// The current-point markers of a plot (graph scatters and tracers) in the order they are drawn,
// as circles: centre and radius (pen included).
struct Disc {
    QString what;
    QPointF centre;
    double radius = 0.0;
};

QVector<Disc> markersInDrawOrder(QCustomPlot *plot)
{
    QVector<Disc> out;
    for (int l = 0; l < plot->layerCount(); ++l)
        for (QCPLayerable *item : plot->layer(l)->children()) {
            if (!item->realVisibility())
                continue;
            if (auto *g = qobject_cast<QCPGraph *>(item); g && !g->scatterStyle().isNone()) {
                const double r = g->scatterStyle().size() / 2.0 + g->pen().widthF() / 2.0;
                for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it)
                    out.push_back({g->name(), QPointF(g->keyAxis()->coordToPixel(it->key), g->valueAxis()->coordToPixel(it->value)), r});
            } else if (auto *t = qobject_cast<QCPItemTracer *>(item); t && t->style() != QCPItemTracer::tsNone) {
                out.push_back({t->pen().color().name(), t->position->pixelPosition(), t->size() / 2.0 + t->pen().widthF() / 2.0});
            }
        }
    return out;
}

// Each marker that one drawn after it covers all but a sliver of: what shows of it beyond the later
// disc must be at least 1.5 px (or a fifth of its radius) wide, else it reads as hidden.
QStringList coveredMarkers(const QVector<Disc> &discs)
{
    QStringList out;
    for (int i = 0; i < discs.size(); ++i)
        for (int j = i + 1; j < discs.size(); ++j) {
            const double d = QLineF(discs[i].centre, discs[j].centre).length();
            if (d + discs[i].radius - discs[j].radius < std::max(1.5, 0.2 * discs[i].radius))
                out << QStringLiteral("%1 (r %2) is covered by %3 (r %4) drawn over it, %5 px apart")
                           .arg(discs[i].what).arg(discs[i].radius).arg(discs[j].what).arg(discs[j].radius).arg(d);
        }
    return out;
}

} // namespace

// Held with the mouse, a presentation slider puts the view into drag mode (no antialiasing), as the
// control panel's sliders do for the main window's plots; the release replots it antialiased.
void TestPresentation::heldSliderDrawsFastUntilRelease()
{
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    auto *slider = p->findChild<QSlider *>(QStringLiteral("slider_kv_length"));
    QVERIFY(slider && slider->isVisible());
    PlotView *view = p->view();
    QVERIFY(!view->dragMode());
    QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeNone));
    const long long kvBefore = f.scenario.parameters().workload.kvLength;

    const QPoint grab = handleCentre(slider);
    QTest::mousePress(slider, Qt::LeftButton, {}, grab);
    QVERIFY(slider->isSliderDown());
    QVERIFY(view->dragMode());
    QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeAll));
    QTest::mouseMove(slider, grab + QPoint(slider->width() / 5, 0));
    QTRY_VERIFY(f.scenario.parameters().workload.kvLength > kvBefore);
    QVERIFY(view->dragMode());
    // A view chosen mid-drag draws fast too.
    QTest::keyClick(p, Qt::Key_2);
    QCOMPARE(p->viewId(), ViewId::Throughput);
    view = p->view();
    QVERIFY(view->dragMode());
    QSignalSpy replots(view->plot(), &QCustomPlot::afterReplot);
    QTest::mouseRelease(slider, Qt::LeftButton, {}, grab + QPoint(slider->width() / 5, 0));
    QVERIFY(!slider->isSliderDown());
    QVERIFY(!view->dragMode());
    QCOMPARE(view->plot()->notAntialiasedElements(), QCP::AntialiasedElements(QCP::aeNone));
    QTRY_VERIFY(replots.count() >= 1);  // replotted antialiased
    QCOMPARE(f.scenario.undoStack()->count(), 1);  // one drag, one undo step
    // The main window's plots are not the presentation's: its own control panel decides for them.
    for (PlotView *v : f.window.plotViews())
        QVERIFY(!v->dragMode());
}

// In presentation mode every scheme's curve carries its name, so the legend is not drawn again
// beside them; what no label names (the "does not fit in DRAM" style, a pinned reference) keeps a
// legend entry. The main window's sweep views and their exports keep the whole legend.
void TestPresentation::sweepLegendGoesWhenLabelsNameEveryCurve()
{
    WindowFixture f;
    f.scenario.setField(core::Field::KvLength, 1024);
    ViewSettings vs = f.scenario.viewSettings();
    vs.throughputAxis = core::Field::KvLength;
    f.scenario.setViewSettings(vs);
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(1280, 720);
    QTest::keyClick(p, Qt::Key_2);
    QCOMPARE(p->viewId(), ViewId::Throughput);
    QCustomPlot *plot = p->view()->plot();
    QTRY_VERIFY(plot->width() > 600);
    plot->replot();
    const auto legendNames = [](QCustomPlot *pl) {
        QStringList names;
        for (int i = 0; i < pl->legend->itemCount(); ++i)
            if (auto *item = qobject_cast<QCPPlottableLegendItem *>(pl->legend->item(i)))
                names << item->plottable()->name();
        return names;
    };
    const QStringList shown = visibleTexts(plot);
    for (core::Scheme s : f.scenario.visibleSchemes()) {
        QVERIFY2(shown.count(schemeName(s)) == 1, qPrintable(schemeName(s) + QStringLiteral(" in ") + shown.join(QStringLiteral(" | "))));
        QVERIFY2(!legendNames(plot).contains(schemeName(s)), qPrintable(legendNames(plot).join(QStringLiteral(", "))));
    }
    // Along KV length MHA's cache outgrows DRAM: only that style is left for the legend to explain.
    QCOMPARE(legendNames(plot), QStringList{QStringLiteral("does not fit in DRAM")});
    QVERIFY(plot->legend->visible());
    // Along batch at a short context with a large DRAM MLA's caches fit everywhere: no legend at all
    // (a new presentation: the locked frame of the first one would not hold these curves).
    QTest::keyClick(p, Qt::Key_Escape);
    QTRY_VERIFY(!f.window.isPresenting());
    f.scenario.setSchemeVisible(core::Scheme::Mha, false);
    f.scenario.setField(core::Field::DramCapacity, 4e12);
    vs.throughputAxis = core::Field::Batch;
    f.scenario.setViewSettings(vs);
    f.window.setPresentation(true);
    p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(1280, 720);
    QTest::keyClick(p, Qt::Key_2);
    plot = p->view()->plot();
    QTRY_VERIFY(plot->width() > 600);
    plot->replot();
    QVERIFY2(legendNames(plot).isEmpty(), qPrintable(legendNames(plot).join(QStringLiteral(", "))));
    QVERIFY(!plot->legend->visible());
    for (core::Scheme s : f.scenario.visibleSchemes())
        QVERIFY2(visibleTexts(plot).count(schemeName(s)) == 1,
                 qPrintable(schemeName(s) + QStringLiteral(" in ") + visibleTexts(plot).join(QStringLiteral(" | "))));
    // A pinned reference is named by no label: its curves are in the legend.
    f.scenario.pinReference();
    QTRY_VERIFY(legendNames(plot).contains(SweepView::referenceName(core::Scheme::MlaReuse)));
    QVERIFY(plot->legend->visible());
    for (core::Scheme s : f.scenario.visibleSchemes())
        QVERIFY(!legendNames(plot).contains(schemeName(s)));
    // The main window's throughput view (and so its export) keeps every curve in its legend.
    for (PlotView *v : f.window.plotViews())
        if (v->viewId() == QLatin1String("throughput")) {
            v->ensureCurrent();
            QVERIFY(v->plot()->legend->visible());
            for (core::Scheme s : f.scenario.visibleSchemes())
                QVERIFY2(legendNames(v->plot()).contains(schemeName(s)), qPrintable(legendNames(v->plot()).join(QStringLiteral(", "))));
        }
}

void TestPresentation::coincidentMarkersAllShow_data()
{
    QTest::addColumn<int>("view");
    QTest::addColumn<int>("step");
    // Step 3 of the built-in deck: MHA's and recompute's throughput at batch 1 are one spot;
    // step 5 (prefill): reuse and recompute share a spot on the compute roof.
    QTest::newRow("deck step 3, throughput") << int(ViewId::Throughput) << 2;
    QTest::newRow("deck step 5, roofline") << int(ViewId::Roofline) << 4;
    QTest::newRow("deck step 3, energy") << int(ViewId::Energy) << 2;
}

// Current-point markers at one spot are drawn in a fixed order, each smaller than the one below, so
// none is hidden: no marker lies wholly under one drawn after it (a ring of at least 1 px shows).
void TestPresentation::coincidentMarkersAllShow()
{
    QFETCH(int, view);
    QFETCH(int, step);
    WindowFixture f;
    f.window.setPresentation(true);
    PresentationWindow *p = f.window.presentation();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->setWindowState(Qt::WindowNoState);
    p->resize(1280, 720);
    QCOMPARE(p->goToStep(step), QString());
    p->setView(ViewId(view));
    QCustomPlot *plot = p->view()->plot();
    QTRY_VERIFY(plot->width() > 600);
    plot->replot();
    const QVector<Disc> discs = markersInDrawOrder(plot);
    QVERIFY(discs.size() >= 3);
    const QStringList covered = coveredMarkers(discs);
    QVERIFY2(covered.isEmpty(), qPrintable(covered.join(QStringLiteral("\n"))));
    // The check sees a covered marker: two discs of one size at one spot, or 1.5 px apart (the
    // sliver MHA's marker left in docs/screenshot-deck.png).
    QVERIFY(!coveredMarkers({{QStringLiteral("a"), {10, 10}, 5}, {QStringLiteral("b"), {10, 10}, 5}}).isEmpty());
    QVERIFY(!coveredMarkers({{QStringLiteral("a"), {10, 10}, 10}, {QStringLiteral("b"), {10, 11.5}, 10}}).isEmpty());
    QVERIFY(coveredMarkers({{QStringLiteral("a"), {10, 10}, 5}, {QStringLiteral("b"), {10, 10}, 2.5}}).isEmpty());
    // And markers really overlap in this step (else the row tests nothing): two closer than a radius.
    bool overlap = false;
    for (int i = 0; i < discs.size(); ++i)
        for (int j = i + 1; j < discs.size(); ++j)
            overlap = overlap || QLineF(discs[i].centre, discs[j].centre).length() < std::max(discs[i].radius, discs[j].radius);
    QVERIFY(overlap);
}

// `--present FILE` tells a deck from a scenario by what the file holds, whatever its name, and
// refuses anything else before a window opens, naming the file.
void TestPresentation::presentTellsDeckFromScenarioByContent()
{
    const QString scenarioPath = m_dir.filePath(QStringLiteral("eleven.json"));
    QCOMPARE(writeFile(scenarioPath, QByteArray::fromStdString(scenarioWithBatch(11).dump())), QString());
    const nlohmann::json deck = {{"schema", kDeckSchema},
                                 {"steps", {{{"scenario", "eleven.json"}, {"caption", "eleven"}, {"view", "memory"}}}}};
    const QString deckPath = m_dir.filePath(QStringLiteral("talk.json"));  // no .deck.json suffix
    QCOMPARE(writeFile(deckPath, QByteArray::fromStdString(deck.dump())), QString());
    const QString notesPath = m_dir.filePath(QStringLiteral("notes.deck.json"));  // a deck's name, not a deck
    QCOMPARE(writeFile(notesPath, "{\"schema\": \"something/else\", \"steps\": []}"), QString());
    const QString textPath = m_dir.filePath(QStringLiteral("slides.txt"));
    QCOMPARE(writeFile(textPath, "first slide\n"), QString());

    PresentFile kind = PresentFile::Scenario;
    QCOMPARE(presentFileKind(deckPath, &kind), QString());
    QCOMPARE(kind, PresentFile::Deck);
    QCOMPARE(presentFileKind(scenarioPath, &kind), QString());
    QCOMPARE(kind, PresentFile::Scenario);
    QCOMPARE(presentFileKind(QString::fromLatin1(kBuiltinDeckPath), &kind), QString());
    QCOMPARE(kind, PresentFile::Deck);
    QString error = presentFileKind(notesPath, &kind);
    QVERIFY2(error.startsWith(notesPath + QStringLiteral(": schema \"something/else\"")) && error.contains(QLatin1String(kDeckSchema))
                 && error.contains(QLatin1String(kScenarioSchema)),
             qPrintable(error));
    error = presentFileKind(textPath, &kind);
    QVERIFY2(error.startsWith(textPath + QStringLiteral(": not valid JSON")), qPrintable(error));
    error = presentFileKind(m_dir.filePath(QStringLiteral("missing.json")), &kind);
    QVERIFY2(error.contains(QStringLiteral("missing.json")), qPrintable(error));

    const QString home = m_dir.filePath(QStringLiteral("content-home"));
    QVERIFY(QDir().mkpath(home));
    const auto run = [&](const QString &file, bool expectStart, QString *errText) {
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.insert(QStringLiteral("MLASTUDIO_TEST_RECOVERY"), QStringLiteral("discard"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(MLASTUDIO_BINARY), {QStringLiteral("--present"), file});
        QString err;
        for (int i = 0; i < 600 && !err.contains(QStringLiteral("test: started")) && app.state() != QProcess::NotRunning; ++i) {
            app.waitForReadyRead(100);
            err += QString::fromLocal8Bit(app.readAllStandardError());
        }
        int code = -1;
        if (expectStart) {
            app.kill();
            app.waitForFinished(10000);
        } else {
            app.waitForFinished(30000);
            code = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
        }
        err += QString::fromLocal8Bit(app.readAllStandardError());
        *errText = err;
        return code;
    };
    QString err;
    run(deckPath, true, &err);
    QVERIFY2(err.contains(QStringLiteral("presenting view=memory step=1 step-batch=11")), qPrintable(err));
    run(scenarioPath, true, &err);
    QVERIFY2(err.contains(scenarioPath + QStringLiteral(" batch=11 modified=0 presenting view=roofline step=0")), qPrintable(err));
    for (const QString &bad : {notesPath, textPath}) {
        QCOMPARE(run(bad, false, &err), 2);
        QVERIFY2(err.startsWith(QStringLiteral("mla-studio: --present: ") + bad + QStringLiteral(": ")), qPrintable(err));
        QVERIFY2(!err.contains(QStringLiteral("test: started")), qPrintable(err));
    }
}

void TestPresentation::boundaryNamesRoundTrip()
{
    // Enums inside, names only in files, settings and options: every name maps back to its value.
    Scenario scenario;
    QStringList names;
    for (ViewId id : kAllPlotViews) {
        QCOMPARE(viewIdFromName(viewIdName(id)), std::optional(id));
        const std::unique_ptr<PlotView> view(createPlotView(id, &scenario));
        QCOMPARE(view->viewId(), viewIdName(id));  // the view's own id is the same name
        names << viewIdName(id);
    }
    QCOMPARE(names, plotViewIds());
    QCOMPARE(viewIdFromName(QStringLiteral("Roofline")), std::nullopt);
    for (ExportFormat f : kAllExportFormats)
        QCOMPARE(exportFormatFromSuffix(exportFormatSuffix(f)), std::optional(f));
    QCOMPARE(exportFormatFromSuffix(QStringLiteral("PDF")), std::optional(ExportFormat::Pdf));
    QCOMPARE(exportFormatFromSuffix(QStringLiteral("jpg")), std::nullopt);
    QVERIFY(isFigureFormat(ExportFormat::Png) && !isFigureFormat(ExportFormat::Json));
    for (const QString &name : ExportOptions::sizePresetNames())
        QCOMPARE(sizePresetName(*sizePresetFromName(name)), name);
    ExportOptions o;
    QVERIFY(o.setSizeString(QStringLiteral("double-column")));
    QCOMPARE(o.sizePreset, SizePreset::DoubleColumn);
    QCOMPARE(o.sizeString(), QStringLiteral("double-column"));
    QVERIFY(o.setSizeString(QStringLiteral("640x480px")));
    QCOMPARE(o.sizePreset, SizePreset::Custom);
    QCOMPARE(o.sizeString(), QStringLiteral("640x480px"));
    QVERIFY(!o.setSizeString(QStringLiteral("custom")));  // a size, not a name
    QCOMPARE(o.sizeString(), QStringLiteral("640x480px"));
}

void TestPresentation::windowFitsSmallScreens_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<QByteArray>("scale");
    QTest::newRow("1280x720") << 1280 << 720 << QByteArray("1");
    QTest::newRow("1600x1000 at 1.5") << 1600 << 1000 << QByteArray("1.5");
}

void TestPresentation::windowFitsSmallScreens()
{
    // A child process per screen: the offscreen platform takes its screen size at start-up.
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(QByteArray, scale);
    const QString config = m_dir.filePath(QStringLiteral("screen-%1x%2.json").arg(width).arg(height));
    const nlohmann::json screens = {{"screens", {{{"name", "test"}, {"x", 0}, {"y", 0}, {"width", width}, {"height", height}, {"logicalDpi", 96}}}}};
    QCOMPARE(writeFile(config, QByteArray::fromStdString(screens.dump())), QString());
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen:configfile=") + config);
    env.insert(QStringLiteral("QT_SCALE_FACTOR"), QString::fromLatin1(scale));
    env.insert(QStringLiteral("MLASTUDIO_TEST_FIT_CHILD"), QStringLiteral("%1x%2").arg(width).arg(height));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("windowFitsScreenChild")});
    QVERIFY(child.waitForFinished(120000));
    const QString output = QString::fromUtf8(child.readAll());
    QVERIFY2(child.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("PASS   : TestPresentation::windowFitsScreenChild")), qPrintable(output));
}

void TestPresentation::windowFitsScreenChild()
{
    const QString size = qEnvironmentVariable("MLASTUDIO_TEST_FIT_CHILD");
    if (size.isEmpty())
        QSKIP("run by windowFitsSmallScreens in a process of its own");
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    const double scale = qEnvironmentVariable("QT_SCALE_FACTOR").toDouble();
    QCOMPARE(available.width(), int(std::lround(size.section(QLatin1Char('x'), 0, 0).toInt() / scale)));
    // A geometry saved on a large screen must not open larger than this one.
    {
        Scenario big;
        MainWindow large(&big);
        large.setConfirmDiscard([] { return QMessageBox::Discard; });
        large.setGeometry(40, 40, 2400, 1500);
        QSettings().setValue(QStringLiteral("mainwindow/geometry"), large.saveGeometry());
    }
    WindowFixture f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.window));
    QTRY_VERIFY(f.window.isVisible());
    QVERIFY2(available.contains(f.window.frameGeometry()),
             qPrintable(QStringLiteral("window %1,%2 %3x%4 outside %5x%6")
                            .arg(f.window.frameGeometry().x()).arg(f.window.frameGeometry().y())
                            .arg(f.window.frameGeometry().width()).arg(f.window.frameGeometry().height())
                            .arg(available.width()).arg(available.height())));
    // Legible: the plots keep a usable size and the control panel its width.
    for (PlotView *v : f.window.plotViews())
        if (v->isVisible())
            QVERIFY2(v->width() >= 200 && v->height() >= 150, qPrintable(v->viewId()));
    auto *panel = f.window.findChild<QWidget *>(QStringLiteral("controlScroll"));
    QVERIFY(panel->isVisible());
    QVERIFY(panel->width() >= panel->minimumWidth());
    // The presentation fills exactly the screen.
    f.window.setPresentation(true);
    QVERIFY(QTest::qWaitForWindowExposed(f.window.presentation()));
    QTRY_COMPARE(f.window.presentation()->geometry(), QGuiApplication::primaryScreen()->geometry());
}

QTEST_MAIN(TestPresentation)
#include "tst_presentation.moc"
