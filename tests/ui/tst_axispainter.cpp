// SPDX-License-Identifier: MIT
// The views' axis painter: on screen it must draw the pixels and set the selection boxes that
// QCustomPlot's own painter draws and sets, follow every change of a title, and clear the tick-label
// cache exactly when QCustomPlot would.
#include "scenario.h"
#include "views/axispainter.h"
#include "views/cachedtext.h"
#include "views/figuretheme.h"
#include "views/plotview.h"
#include "views/viewfactory.h"

#include "pixeldiff.h"

#include <qcustomplot.h>

#include <QImage>
#include <QPixmap>
#include <QtTest>

#include <functional>
#include <memory>

using namespace mlastudio::ui;

Q_DECLARE_METATYPE(mlastudio::ui::ViewId)
Q_DECLARE_METATYPE(mlastudio::ui::ThemeId)

namespace {

struct PainterAccess : QCPAxis {
    using QCPAxis::mAxisPainter;
};
struct KeyAccess : QCPAxisPainterPrivate {
    using QCPAxisPainterPrivate::generateLabelParameterHash;
    using QCPAxisPainterPrivate::mLabelCache;
};

QCPAxisPainterPrivate *painterOf(QCPAxis *axis)
{
    return axis->*(&PainterAccess::mAxisPainter);
}

/** The key a painter builds now (its own override, if it has one). */
QByteArray keyOf(const QCPAxisPainterPrivate *painter)
{
    return (painter->*(&KeyAccess::generateLabelParameterHash))();
}

QFont font(const QString &family, qreal points, bool bold = false)
{
    QFont f(family);
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

enum class Look { Antialiased, Aliased, OffsetAndOutwardTicks, InsideTickLabels, PixelRatio2 };

/** A plot with ticks, tick labels and a title on each of its four sides (the vertical ones turned);
 *  \p ours installs AxisPainter, some settings before and some after, as the views do. */
std::unique_ptr<QCustomPlot> makePlot(bool ours, Look look)
{
    auto plot = std::make_unique<QCustomPlot>();
    plot->resize(460, 330);
    plot->setBackground(QBrush(QColor(250, 250, 245)));
    if (look == Look::Aliased)
        plot->setNotAntialiasedElements(QCP::aeAll);
    else
        plot->setAntialiasedElements(QCP::aeAll);
    if (look == Look::PixelRatio2)
        plot->setBufferDevicePixelRatio(2.0);
    QCPAxisRect *rect = plot->axisRect();
    rect->setupFullAxesBox(false);
    plot->xAxis->setRange(0.37, 8.9);
    plot->yAxis->setScaleType(QCPAxis::stLogarithmic);  // subticks between decades, labels "1e-2"
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot->yAxis->setRange(0.003, 4000);
    plot->xAxis2->setRange(-1.25, 17.5);
    plot->yAxis2->setRange(12.5, 96.1);
    for (QCPAxis *axis : rect->axes()) {
        axis->setTickLabels(true);
        axis->setTickLabelFont(font(QStringLiteral("DejaVu Sans"), 8.5));
        axis->setTickLabelColor(QColor(40, 40, 60));
        axis->setLabelFont(font(QStringLiteral("DejaVu Sans"), 9.5));
        axis->setLabelColor(QColor(10, 20, 120));
        axis->setBasePen(QPen(QColor(30, 30, 30), 1.0));
        axis->setTickPen(QPen(QColor(30, 30, 30), 1.0));
        if (look == Look::OffsetAndOutwardTicks) {
            axis->setOffset(3);
            axis->setTickLength(4, 3);
            axis->setSubTickLength(2, 2);
            axis->setLabelPadding(7);
        }
    }
    plot->xAxis->setLabel(QStringLiteral("Sequence length (tokens)"));
    plot->yAxis->setLabel(QStringLiteral("Latency per token (ms)"));
    plot->xAxis2->setLabel(QStringLiteral("Batch size"));
    plot->yAxis2->setLabel(QStringLiteral("KV cache (GiB)"));
    if (ours)
        for (QCPAxis *axis : rect->axes())
            AxisPainter::install(axis);
    // Set after the painters are in place: QCPAxis writes some settings into its painter directly.
    plot->yAxis2->setLabelFont(font(QStringLiteral("DejaVu Serif"), 10.0, true));
    plot->xAxis2->setTickLabelRotation(30);
    if (look == Look::InsideTickLabels) {
        plot->yAxis->setTickLabelSide(QCPAxis::lsInside);
        plot->xAxis->setTickLabelSide(QCPAxis::lsInside);
    }
    plot->addGraph()->setData({0.5, 2, 5, 8}, {0.01, 3, 40, 900});
    plot->show();
    return plot;
}

QImage screen(QCustomPlot *plot)
{
    plot->replot(QCustomPlot::rpImmediateRefresh);
    return plot->grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

/** Pixels of \p image inside \p box that differ from the background. */
int inkIn(const QImage &image, const QRect &box)
{
    int n = 0;
    const QRgb background = image.pixel(0, 0);
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x)
            n += image.valid(x, y) && image.pixel(x, y) != background;
    return n;
}

/** Gives \p axis back a painter of QCustomPlot's own, with the same settings. */
void useQCustomPlotsPainter(QCPAxis *axis)
{
    QCPAxisPainterPrivate *&slot = axis->*(&PainterAccess::mAxisPainter);
    auto *plain = new QCPAxisPainterPrivate(axis->parentPlot());
    AxisPainter::copySettings(*slot, *plain);
    delete slot;
    slot = plain;
}

/** \return true where each axis of \p ours has the selection boxes of the same axis of \p theirs. */
bool sameSelectionBoxes(QCustomPlot *ours, QCustomPlot *theirs)
{
    const auto a = ours->axisRect()->axes(), b = theirs->axisRect()->axes();
    bool same = a.size() == 4 && b.size() == 4;
    for (int i = 0; same && i < a.size(); ++i) {
        const QCPAxisPainterPrivate *p = painterOf(a[i]), *q = painterOf(b[i]);
        if (p->axisSelectionBox() != q->axisSelectionBox() || p->tickLabelsSelectionBox() != q->tickLabelsSelectionBox()
            || p->labelSelectionBox() != q->labelSelectionBox()) {
            qWarning() << a[i]->label() << p->axisSelectionBox() << q->axisSelectionBox() << p->tickLabelsSelectionBox()
                       << q->tickLabelsSelectionBox() << p->labelSelectionBox() << q->labelSelectionBox();
            same = false;
        }
    }
    return same;
}

} // namespace

class TestAxisPainter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { cachedtext::cachedCount(true); }

    void everyViewDrawsAsWithQCustomPlotsPainters_data()
    {
        QTest::addColumn<ViewId>("id");
        QTest::addColumn<bool>("dragging");
        QTest::addColumn<ThemeId>("theme");
        for (const ViewId id : kAllPlotViews)
            for (const ThemeId theme : {ThemeId::Light, ThemeId::Slides})  // slides: thick lines, large text
                for (const bool dragging : {false, true})
                    QTest::newRow(qPrintable(viewIdName(id) + QLatin1Char(' ') + themeId(theme) + (dragging ? QStringLiteral(", dragging") : QString())))
                        << id << dragging << theme;
    }
    void everyViewDrawsAsWithQCustomPlotsPainters()
    {
        QFETCH(ViewId, id);
        QFETCH(bool, dragging);
        QFETCH(ThemeId, theme);
        Scenario scenario;
        std::unique_ptr<PlotView> view(createPlotView(id, &scenario));
        view->setThemeOverride(FigureTheme::preset(theme));
        view->resize(900, 560);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        view->setDragMode(dragging);
        QCustomPlot *plot = view->plot();
        QImage ours;
        for (int pass = 0; pass < 3; ++pass)  // the third from the text cache
            ours = screen(plot);
        int titles = 0, replaced = 0;
        for (QCPAxisRect *rect : plot->axisRects())
            for (QCPAxis *axis : rect->axes()) {
                QVERIFY(dynamic_cast<AxisPainter *>(painterOf(axis)));  // every axis of a view has one
                titles += axis->visible() && !axis->label().isEmpty();
                useQCustomPlotsPainter(axis);
                ++replaced;
            }
        QVERIFY(replaced >= 4);
        QVERIFY(titles >= 1);
        QVERIFY(cachedtext::cachedCount() >= titles);  // the titles were drawn from the cache
        QCOMPARE(test::pixelDifference(ours, screen(plot)).pixels, 0);
    }

    void installKeepsTheSettings()
    {
        auto plot = makePlot(false, Look::OffsetAndOutwardTicks);
        QCPAxis *axis = plot->yAxis2;
        axis->setTickLabelPadding(9);
        axis->setNumberFormat(QStringLiteral("gbc"));
        axis->setRangeReversed(true);
        axis->setLowerEnding(QCPLineEnding::esSpikeArrow);
        screen(plot.get());  // QCPAxis hands its title and ticks to the painter when it lays out and draws
        QCPAxisPainterPrivate *old = painterOf(axis);
        const int oldSize = old->size();
        AxisPainter *mine = AxisPainter::install(axis);
        QVERIFY(mine != static_cast<QCPAxisPainterPrivate *>(old));
        QCOMPARE(painterOf(axis), static_cast<QCPAxisPainterPrivate *>(mine));
        QCOMPARE(AxisPainter::install(axis), mine);  // once
        QCOMPARE(mine->size(), oldSize);
        QCOMPARE(axis->offset(), 3);
        QCOMPARE(axis->tickLengthOut(), 3);
        QCOMPARE(axis->labelPadding(), 7);
        QCOMPARE(axis->tickLabelPadding(), 9);
        QCOMPARE(mine->numberMultiplyCross, true);  // "c" in the format
        QCOMPARE(axis->lowerEnding().style(), QCPLineEnding::esSpikeArrow);
        QCOMPARE(mine->label, QStringLiteral("KV cache (GiB)"));
        QCOMPARE(mine->labelFont, axis->labelFont());
        QCOMPARE(mine->reversedEndings, true);
        QCOMPARE((mine->*(&KeyAccess::mLabelCache)).maxCost(), 64);  // 17 platforms fit
    }

    void screenPixelsAreQCustomPlots_data()
    {
        QTest::addColumn<Look>("look");
        QTest::newRow("antialiased") << Look::Antialiased;
        QTest::newRow("aliased (while dragging)") << Look::Aliased;
        QTest::newRow("offset, outward ticks, padding") << Look::OffsetAndOutwardTicks;
        QTest::newRow("tick labels inside") << Look::InsideTickLabels;
        QTest::newRow("pixel ratio 2") << Look::PixelRatio2;
    }
    void screenPixelsAreQCustomPlots()
    {
        QFETCH(Look, look);
        auto theirs = makePlot(false, look);
        auto ours = makePlot(true, look);
        QVERIFY(QTest::qWaitForWindowExposed(ours.get()));
        const QImage reference = screen(theirs.get());
        // The titles really are there, on all four sides.
        for (QCPAxis *axis : theirs->axisRect()->axes())
            QVERIFY2(inkIn(reference, painterOf(axis)->labelSelectionBox()) > 40, qPrintable(axis->label()));
        // Drawn directly, then rendered into the cache, then copied from it: the same pixels each time.
        for (int pass = 0; pass < 3; ++pass) {
            const QImage image = screen(ours.get());
            QCOMPARE(test::pixelDifference(image, reference).pixels, 0);
            QVERIFY(sameSelectionBoxes(ours.get(), theirs.get()));
        }
        QCOMPARE(cachedtext::cachedCount(), 4);  // the four titles, turned and not
    }

    void titleFollowsItsLabelFontAndColour()
    {
        auto theirs = makePlot(false, Look::Antialiased);
        auto ours = makePlot(true, Look::Antialiased);
        QVERIFY(QTest::qWaitForWindowExposed(ours.get()));
        for (int pass = 0; pass < 3; ++pass)
            screen(ours.get());
        const QImage before = screen(ours.get());
        // Changes both plots; \return the reference, and whether ours drew it and set its boxes at every pass.
        const auto change = [&](const std::function<void(QCustomPlot *)> &f, QImage *reference) {
            f(theirs.get());
            f(ours.get());
            *reference = screen(theirs.get());
            bool same = true;
            for (int pass = 0; pass < 3; ++pass) {
                const int differing = test::pixelDifference(screen(ours.get()), *reference).pixels;
                if (differing != 0)
                    qWarning() << "pass" << pass << differing << "pixels differ";
                same = same && differing == 0 && sameSelectionBoxes(ours.get(), theirs.get());
            }
            return same;
        };
        QImage now, last = before;
        QVERIFY(change([](QCustomPlot *p) { p->yAxis->setLabel(QStringLiteral("Time to first token (s)")); }, &now));
        QVERIFY(test::pixelDifference(now, last).pixels > 100);
        last = now;
        QVERIFY(change([](QCustomPlot *p) { p->xAxis->setLabelFont(font(QStringLiteral("DejaVu Sans"), 12.0)); }, &now));
        QVERIFY(test::pixelDifference(now, last).pixels > 100);
        last = now;
        QVERIFY(change([](QCustomPlot *p) { p->yAxis2->setLabelColor(QColor(200, 30, 30)); }, &now));
        QVERIFY(test::pixelDifference(now, last).pixels > 100);
        last = now;
        QVERIFY(change([](QCustomPlot *p) { p->xAxis2->setLabel(QString()); }, &now));  // no title at all
        QVERIFY(test::pixelDifference(now, last).pixels > 20);
        last = now;
        QVERIFY(change([](QCustomPlot *p) { p->yAxis->setTickLabelColor(QColor(0, 140, 0)); }, &now));  // tick labels
        QVERIFY(test::pixelDifference(now, last).pixels > 100);
    }

    void exportsDrawAsQCustomPlot()
    {
        auto theirs = makePlot(false, Look::Antialiased);
        auto ours = makePlot(true, Look::Antialiased);
        for (int pass = 0; pass < 2; ++pass) {
            const QImage a = ours->toPixmap(460, 330).toImage(), b = theirs->toPixmap(460, 330).toImage();
            QCOMPARE(test::pixelDifference(a, b).pixels, 0);
        }
        QCOMPARE(cachedtext::cachedCount(), 0);  // an export never draws from the cache
    }

    void labelKeyIsQCustomPlots_data()
    {
        QTest::addColumn<int>("change");
        for (int i = 0; i < 9; ++i)
            QTest::newRow(qPrintable(QString::number(i))) << i;
    }
    void labelKeyIsQCustomPlots()
    {
        QFETCH(int, change);
        auto plot = makePlot(true, Look::Antialiased);
        QCPAxis *axis = plot->yAxis;
        QCPAxisPainterPrivate *mine = painterOf(axis);
        screen(plot.get());
        // What QCustomPlot's own painter would build from the same settings.
        const auto theirs = [&] {
            QCPAxisPainterPrivate plain(plot.get());
            AxisPainter::copySettings(*mine, plain);
            return keyOf(&plain);
        };
        const QByteArray before = keyOf(mine);
        QCOMPARE(before, theirs());
        bool keyChanges = true;
        switch (change) {
        case 0: axis->setTickLabelFont(font(QStringLiteral("DejaVu Sans"), 9.0)); break;
        case 1: axis->setTickLabelFont(font(QStringLiteral("DejaVu Sans"), 8.5, true)); break;
        case 2: axis->setTickLabelColor(QColor(40, 40, 61)); break;
        case 3: axis->setTickLabelColor(QColor(40, 40, 60, 128)); break;
        case 4: axis->setTickLabelRotation(-45); break;
        case 5: axis->setTickLabelSide(QCPAxis::lsInside); break;
        case 6: axis->setNumberFormat(QStringLiteral("gbc")); break;  // the multiplication cross
        case 7: plot->setBufferDevicePixelRatio(2.0); break;
        case 8:  // settings outside the key: the rendered tick labels stay valid
            axis->setLabel(QStringLiteral("another title"));
            axis->setTickLabelFont(font(QStringLiteral("DejaVu Sans"), 8.5));  // an equal font
            axis->setLabelColor(Qt::red);
            keyChanges = false;
            break;
        }
        screen(plot.get());
        const QByteArray after = keyOf(mine);
        QCOMPARE(after, theirs());
        QCOMPARE(after != before, keyChanges);
        QCOMPARE(keyOf(mine), after);  // asked again, unchanged
    }
};

QTEST_MAIN(TestAxisPainter)
#include "tst_axispainter.moc"
