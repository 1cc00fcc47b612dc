// SPDX-License-Identifier: MIT
// The views' plot widget clears its buffer to the background and paints it with no fill beneath,
// instead of blending a transparent buffer over a fill: the screen must show what QCustomPlot shows,
// and exports must not change at all.
#include "views/screenplot.h"

#include "pixeldiff.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QImage>
#include <QtTest>

using namespace mlastudio::ui;

namespace {

/** A figure with what the views draw: antialiased curves, text in the margins and in the plot, a
 *  legend, a filled bar and a background that differs from the axis rect's. */
void fill(QCustomPlot *p, const QBrush &background)
{
    p->resize(420, 300);
    p->setBackground(background);
    p->axisRect()->setBackground(QBrush(QColor(250, 250, 245)));
    p->xAxis->setLabel(QStringLiteral("KV length (tokens)"));
    p->yAxis->setLabel(QStringLiteral("tokens/s"));
    p->xAxis->setRange(0, 10);
    p->yAxis->setRange(0, 5);
    QCPGraph *g = p->addGraph();
    g->setPen(QPen(QColor(0, 114, 178), 2.0));
    g->setName(QStringLiteral("MLA (reuse)"));
    g->setAntialiased(true);
    for (int i = 0; i <= 40; ++i)
        g->addData(i * 0.25, 2.5 + 2.0 * std::sin(i * 0.3));
    QCPGraph *d = p->addGraph();
    d->setPen(QPen(QColor(213, 94, 0), 1.5, Qt::DashLine));
    d->setName(QStringLiteral("MLA (recompute)"));
    for (int i = 0; i <= 40; ++i)
        d->addData(i * 0.25, 1.0 + 0.1 * i);
    auto *bar = new QCPBars(p->xAxis, p->yAxis);
    bar->setBrush(QColor(0, 158, 115, 120));
    bar->addData(7.0, 3.0);
    auto *label = new QCPItemText(p);
    label->position->setType(QCPItemPosition::ptAbsolute);
    label->position->setCoords(300.4, 12.7);  // in the margin, over the figure's own background
    label->setText(QStringLiteral("current 1.23 ms"));
    label->setBrush(QColor(255, 255, 255, 170));
    p->legend->setVisible(true);
    // Shown, as in the window: the viewport and the buffer take the widget's size.
    p->show();
    QVERIFY(QTest::qWaitForWindowExposed(p));
    p->replot();
    QCoreApplication::processEvents();
}

/** The widget's paint over white (QWidget::grab leaves a widget with opaque paint events over
 *  uninitialised pixels, which a translucent background would show). */
QImage screen(QCustomPlot *p)
{
    QPixmap pixmap(p->size());
    pixmap.fill(Qt::white);
    p->render(&pixmap, QPoint(), QRegion(), QWidget::RenderFlags());
    return pixmap.toImage().convertToFormat(QImage::Format_ARGB32);
}

QByteArray png(QCustomPlot *p)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    p->toPixmap(420, 300).save(&buffer, "PNG");
    return bytes;
}

} // namespace

class TestScreenPlot : public QObject
{
    Q_OBJECT

private slots:
    void screenShowsQCustomPlotsPixels();
    void axisRectOfTheFiguresBackground();
    void exportsAreUnchanged();
    void transparentBackgroundBlendsAsQCustomPlot();
    void replotAfterBackgroundChange();
};

// The same figure on screen: the opaque buffer alone shows what QCustomPlot's blend shows. Text and
// antialiased edges over the figure's background are blended in one step instead of two (onto the
// transparent buffer, then over the background), so they may differ by a rounding step.
void TestScreenPlot::screenShowsQCustomPlotsPixels()
{
    ScreenPlot fast;
    QCustomPlot plain;
    fill(&fast, QColor(236, 240, 244));
    fill(&plain, QColor(236, 240, 244));
    QVERIFY(fast.opaqueFrame());
    const QImage a = screen(&fast), b = screen(&plain);
    QVERIFY(fast.copiedLastPaint());
    QCOMPARE(a.size(), b.size());
    const test::PixelDifference d = test::pixelDifference(a, b);
    qInfo() << "largest channel difference" << d.largest << "in" << d.pixels << "of" << a.width() * a.height() << "pixels";
    QVERIFY(d.largest <= 1);
    QVERIFY(d.pixels >= 0 && d.pixels < a.width() * a.height() / 100);
    // The figure's background, where nothing else is drawn, is exactly the background colour.
    QCOMPARE(a.pixelColor(2, 2), QColor(236, 240, 244));
    QCOMPARE(a.pixelColor(2, a.height() - 3), QColor(236, 240, 244));
}

// An axis rect filled with the figure's background (as every view's is) is not filled again on
// screen: the same pixels, and the rect keeps its brush for exports.
void TestScreenPlot::axisRectOfTheFiguresBackground()
{
    ScreenPlot fast;
    QCustomPlot plain;
    fill(&fast, QColor(236, 240, 244));
    fill(&plain, QColor(236, 240, 244));
    for (QCustomPlot *p : {static_cast<QCustomPlot *>(&fast), &plain}) {
        p->axisRect()->setBackground(QBrush(QColor(236, 240, 244)));
        p->replot();
    }
    QCOMPARE(fast.axisRect()->backgroundBrush(), QBrush(QColor(236, 240, 244)));
    const QImage a = screen(&fast), b = screen(&plain);
    QVERIFY(fast.copiedLastPaint());
    const test::PixelDifference d = test::pixelDifference(a, b);
    QVERIFY(d.largest <= 1);
    QVERIFY(d.pixels >= 0 && d.pixels < a.width() * a.height() / 100);
    QCOMPARE(png(&fast), png(&plain));
}

// Exports draw the layers without a replot: no fill, no trace of it (byte-identical PNG and PDF).
void TestScreenPlot::exportsAreUnchanged()
{
    ScreenPlot fast;
    QCustomPlot plain;
    fill(&fast, QColor(236, 240, 244));
    fill(&plain, QColor(236, 240, 244));
    QCOMPARE(png(&fast), png(&plain));
    // A transparent export (no background brush) stays transparent where nothing is drawn.
    fast.setBackground(Qt::NoBrush);
    plain.setBackground(Qt::NoBrush);
    const QImage t = fast.toPixmap(420, 300).toImage();
    QCOMPARE(qAlpha(t.pixel(2, 2)), 0);
    QCOMPARE(png(&fast), png(&plain));
}

// Where the background is not opaque the buffer stays transparent: QCustomPlot's own paint, exactly.
void TestScreenPlot::transparentBackgroundBlendsAsQCustomPlot()
{
    ScreenPlot fast;
    QCustomPlot plain;
    fill(&fast, QColor(236, 240, 244, 128));
    fill(&plain, QColor(236, 240, 244, 128));
    QVERIFY(!fast.opaqueFrame());
    const QImage a = screen(&fast), b = screen(&plain);
    QVERIFY(!fast.copiedLastPaint());
    QCOMPARE(a, b);
}

// A frame replotted before a background change is not drawn alone after it: the clear is the replot's.
void TestScreenPlot::replotAfterBackgroundChange()
{
    ScreenPlot fast;
    fill(&fast, QColor(236, 240, 244, 128));  // replotted with a translucent background: no fill
    fast.setBackground(QColor(20, 20, 20));   // opaque now, but not replotted
    QVERIFY(fast.opaqueFrame());
    screen(&fast);
    QVERIFY(!fast.copiedLastPaint());
    fast.replot();
    const QImage a = screen(&fast);
    QVERIFY(fast.copiedLastPaint());
    QCOMPARE(a.pixelColor(2, 2), QColor(20, 20, 20));
}

QTEST_MAIN(TestScreenPlot)
#include "tst_screenplot.moc"
