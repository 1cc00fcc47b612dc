// SPDX-License-Identifier: MIT
// The views' text cache: on screen it must draw the pixels QPainter::drawText draws, and exports must
// not use it at all.
#include "views/cachedtext.h"

#include "pixeldiff.h"

#include <qcustomplot.h>

#include <QImage>
#include <QPixmap>
#include <QtTest>

using namespace mlastudio::ui;

namespace {

struct Sample {
    QString text;
    int flags;
    QRect rect;
};

QList<Sample> samples()
{
    return {
        {QStringLiteral("current 1.23 ms"), Qt::TextDontClip, QRect(7, 9, 0, 0)},
        {QStringLiteral("MLA (reuse)"), Qt::TextDontClip | Qt::AlignLeft | Qt::AlignVCenter, QRect(20, 30, 0, 14)},
        {QStringLiteral("two lines\ncentred"), Qt::TextDontClip | Qt::AlignHCenter, QRect(60, 12, 0, 0)},
        {QStringLiteral("A caption long enough to wrap at the rect's width, as figure captions do"),
         Qt::AlignCenter | Qt::TextWordWrap, QRect(4, 50, 150, 60)},
    };
}

QFont labelFont()
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(9.0);
    return f;
}

/** What a QCustomPlot layer does: a transparent paint buffer; \p halfPixel is the 0.5 px shift that
 *  QCPPainter applies to antialiased layerables. */
QImage drawAll(bool cached, bool halfPixel, const QColor &color, QList<QRect> *bounds = nullptr, QPointF shift = {})
{
    QPixmap buffer(240, 140);
    buffer.fill(Qt::transparent);
    QCPPainter painter(&buffer);
    if (!cached)
        painter.setMode(QCPPainter::pmNoCaching);
    painter.setAntialiasing(halfPixel);
    painter.translate(shift);  // an item's position, in fractions of a pixel
    painter.setFont(labelFont());
    painter.setPen(color);
    for (const Sample &s : samples()) {
        QRect b;
        cachedtext::drawText(&painter, s.rect, s.flags, s.text, &b);
        if (bounds)
            *bounds << b;
    }
    painter.end();
    return buffer.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

int inkPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += qAlpha(image.pixel(x, y)) > 0;
    return n;
}

} // namespace

class TestCachedText : public QObject
{
    Q_OBJECT

private slots:
    void init() { cachedtext::cachedCount(true); }

    void cachedPixelsAreTheDirectOnes_data()
    {
        QTest::addColumn<bool>("halfPixel");
        QTest::addColumn<QPointF>("shift");
        QTest::newRow("aliased layer") << false << QPointF();
        QTest::newRow("antialiased layer (0.5 px shift)") << true << QPointF();
        QTest::newRow("item between pixels") << true << QPointF(10.3, 4.71);
        QTest::newRow("negative fraction") << false << QPointF(-2.6, 7.2);
    }
    void cachedPixelsAreTheDirectOnes()
    {
        QFETCH(bool, halfPixel);
        QFETCH(QPointF, shift);
        const QColor ink(20, 60, 200);
        QList<QRect> directBounds, firstBounds, cachedBounds;
        const QImage direct = drawAll(false, halfPixel, ink, &directBounds, shift);
        QVERIFY(inkPixels(direct) > 200);  // the samples really drew text
        QCOMPARE(cachedtext::cachedCount(), 0);  // an export-mode painter never fills the cache

        const QImage first = drawAll(true, halfPixel, ink, &firstBounds, shift);   // seen once: drawn directly
        QCOMPARE(cachedtext::cachedCount(), 0);
        const QImage second = drawAll(true, halfPixel, ink, nullptr, shift);       // rendered into the cache
        QCOMPARE(cachedtext::cachedCount(), int(samples().size()));
        const QImage third = drawAll(true, halfPixel, ink, &cachedBounds, shift);  // copied from the cache
        QCOMPARE(cachedtext::cachedCount(), int(samples().size()));

        QCOMPARE(firstBounds, directBounds);
        QCOMPARE(cachedBounds, directBounds);
        QCOMPARE(test::pixelDifference(first, direct).largest, 0);
        // Rendered at the same sub-pixel position and copied onto whole pixels: the same pixels.
        QCOMPARE(test::pixelDifference(second, direct).largest, 0);
        QCOMPARE(test::pixelDifference(third, direct).largest, 0);
    }

    void colourAndTextAreInTheKey()
    {
        for (int i = 0; i < 2; ++i) {
            drawAll(true, false, Qt::black);
            drawAll(true, false, Qt::red);
        }
        QCOMPARE(cachedtext::cachedCount(), 2 * int(samples().size()));
        const QImage red = drawAll(true, false, Qt::red);
        const QImage black = drawAll(true, false, Qt::black);
        QVERIFY(test::pixelDifference(red, black).largest > 100);  // each draws in its own colour, not the other's
    }

    void rotatedPainterDrawsDirectly()
    {
        QPixmap buffer(200, 200);
        buffer.fill(Qt::transparent);
        QCPPainter painter(&buffer);
        painter.translate(100, 100);
        painter.rotate(-90);
        QVERIFY(!cachedtext::isCached(&painter));
        for (int i = 0; i < 3; ++i)
            cachedtext::drawText(&painter, QRect(0, 0, 0, 0), Qt::TextDontClip, QStringLiteral("rotated"));
        painter.end();
        QCOMPARE(cachedtext::cachedCount(), 0);
        QVERIFY(inkPixels(buffer.toImage()) > 20);
    }

    void turnedTextIsExact_data()
    {
        QTest::addColumn<int>("quarterTurns");
        QTest::addColumn<QPointF>("origin");
        QTest::addColumn<bool>("halfPixel");
        QTest::newRow("-90° (a left axis title)") << -1 << QPointF(20, 170) << false;
        QTest::newRow("+90° (a right axis title)") << 1 << QPointF(200, 10) << false;
        QTest::newRow("-90° on an antialiased layer") << -1 << QPointF(20, 170) << true;
        QTest::newRow("+90° between pixels") << 1 << QPointF(190.3, 12.71) << true;
        QTest::newRow("unturned between pixels") << 0 << QPointF(10.25, 40.5) << false;
    }
    void turnedTextIsExact()
    {
        QFETCH(int, quarterTurns);
        QFETCH(QPointF, origin);
        QFETCH(bool, halfPixel);
        const QRect rect(0, 0, 150, 15);
        const QString text = QStringLiteral("Latency per token (ms)");
        const int flags = Qt::TextDontClip | Qt::AlignCenter;
        bool unturned = true;
        const auto draw = [&](int mode) {  // 0 as QCustomPlot turns a title, 1 direct (export), 2 cached
            QPixmap buffer(240, 200);
            buffer.fill(Qt::transparent);
            QCPPainter painter(&buffer);
            if (mode < 2)
                painter.setMode(QCPPainter::pmNoCaching);
            painter.setAntialiasing(halfPixel);
            painter.setFont(labelFont());
            painter.setPen(QColor(10, 20, 120));
            if (mode == 0) {
                painter.translate(origin);
                painter.rotate(90.0 * quarterTurns);
                painter.drawText(rect, flags, text);
            } else {
                cachedtext::drawTurnedText(&painter, origin, quarterTurns, rect, flags, text);
                unturned = unturned && painter.transform().type() <= QTransform::TxTranslate;
            }
            painter.end();
            return buffer.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
        };
        const QImage reference = draw(0);
        QVERIFY(inkPixels(reference) > 150);
        QCOMPARE(test::pixelDifference(draw(1), reference).largest, 0);
        QCOMPARE(cachedtext::cachedCount(), 0);
        // Seen once: drawn directly; then rendered turned into the cache; then copied from it. A quarter
        // turn and a whole-pixel shift map the pixel grid onto itself: the same pixels each time.
        for (int pass = 0; pass < 3; ++pass) {
            QCOMPARE(test::pixelDifference(draw(2), reference).largest, 0);
            QCOMPARE(cachedtext::cachedCount(), pass == 0 ? 0 : 1);
        }
        QVERIFY(unturned);  // the painter is left as it was
    }

    void vectorExportsDrawDirectly()
    {
        QPixmap buffer(100, 40);
        QCPPainter painter(&buffer);
        painter.setMode(QCPPainter::pmVectorized);
        QVERIFY(!cachedtext::isCached(&painter));
        painter.setMode(QCPPainter::pmVectorized, false);
        QVERIFY(cachedtext::isCached(&painter));
    }
};

QTEST_MAIN(TestCachedText)
#include "tst_cachedtext.moc"
