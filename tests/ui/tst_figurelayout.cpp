// SPDX-License-Identifier: MIT
// The layout pass remembers each graph's pixels and each axis' tick label rects between passes: a
// label must still move when a graph's data changes in place, when an axis' range changes or when
// the axis rect changes size, and the margins must still keep tick labels inside the figure when
// their font or text changes, exactly as a pass with nothing remembered does.
#include "views/figurelayout.h"
#include "views/viewutil.h"

#include <qcustomplot.h>

#include <QtTest>

using namespace mlastudio::ui;

namespace {

// A plot with one line graph and one label that may sit in the middle of the axis rect (first
// choice) or near its top-left corner; spots are axis-rect ratios, so they stay put when the
// ranges change while the line moves.
struct Figure {
    Figure()
    {
        plot.resize(400, 300);
        plot.xAxis->setRange(0, 10);
        plot.yAxis->setRange(0, 10);
        graph = plot.addGraph();
        graph->setLineStyle(QCPGraph::lsLine);
        graph->setScatterStyle(QCPScatterStyle::ssNone);
        graph->setData({0.0, 5.0, 10.0}, {5.0, 5.0, 5.0}, true);  // through the middle
        label = new QCPItemText(&plot);
        label->setText(QStringLiteral("label"));
        layout = new FigureLayout(&plot);
        FigureLayout::Spot middle{0.5, 0.5, Qt::AlignCenter, {}, true, true};
        FigureLayout::Spot corner{0.2, 0.2, Qt::AlignCenter, {}, true, true};
        layout->addLabel(label, {middle, corner});
        plot.show();
    }
    void replot() { plot.replot(QCustomPlot::rpImmediateRefresh); }
    QPointF spot(double rx, double ry) const
    {
        const QRectF area = QRectF(plot.axisRect()->rect()).adjusted(1, 1, -1, -1);
        return {area.left() + rx * area.width(), area.top() + ry * area.height()};
    }
    QPointF middle() const { return spot(0.5, 0.5); }
    QPointF corner() const { return spot(0.2, 0.2); }
    QPointF at() const { return label->position->pixelPosition(); }

    QCustomPlot plot;
    QCPGraph *graph = nullptr;
    QCPItemText *label = nullptr;
    FigureLayout *layout = nullptr;
};

} // namespace

class TestFigureLayout : public QObject
{
    Q_OBJECT

private slots:
    void labelFollowsDataChangedInPlace();
    void labelFollowsAxisRange();
    void labelFollowsAxisRectSize();
    void labelFollowsGraphVisibility();
    void tickLabelsStayInsideAfterChanges();
    void textMeasuresAreQFontMetricsOnes();
};

void TestFigureLayout::labelFollowsDataChangedInPlace()
{
    Figure f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.plot));
    f.replot();
    QCOMPARE(f.at(), f.corner());  // the line crosses the middle
    f.replot();
    QCOMPARE(f.at(), f.corner());  // nothing changed: the same place
    // Same size, same container, one value moved: the line now runs along the bottom except one end.
    for (auto it = f.graph->data()->begin(); it != f.graph->data()->end(); ++it)
        it->value = 0.5;
    f.replot();
    QCOMPARE(f.at(), f.middle());
    QVERIFY(f.label->visible());
    (f.graph->data()->begin() + 1)->value = 5.0;  // the middle vertex back up: crosses the middle again
    f.replot();
    QCOMPARE(f.at(), f.corner());
}

void TestFigureLayout::labelFollowsAxisRange()
{
    Figure f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.plot));
    f.replot();
    QCOMPARE(f.at(), f.corner());
    f.plot.yAxis->setRange(0, 100);  // the data stays; the line drops to near the bottom
    f.replot();
    QCOMPARE(f.at(), f.middle());
    f.plot.yAxis->setRange(0, 10);
    f.replot();
    QCOMPARE(f.at(), f.corner());
    f.plot.yAxis->setRangeReversed(true);  // still through the middle: y = 5 of [0, 10] either way
    f.replot();
    QCOMPARE(f.at(), f.corner());
    f.plot.yAxis->setRange(-90, 10);  // reversed, 10 at the bottom: y = 5 runs 5 % above the bottom
    f.replot();
    QCOMPARE(f.at(), f.middle());
}

void TestFigureLayout::labelFollowsAxisRectSize()
{
    Figure f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.plot));
    f.graph->setData({0.0, 10.0}, {5.5, 5.5}, true);  // 45 % down the rect: clear of the middle label
    f.replot();
    QVERIFY(f.plot.axisRect()->rect().height() > 200);
    QCOMPARE(f.at(), f.middle());
    // A tall top margin squeezes the rect: the line, 5 % of the rect's height above its middle,
    // comes within the label's half height (which does not shrink) and crosses it.
    f.plot.axisRect()->setMinimumMargins(QMargins(0, 200, 0, 0));
    f.replot();
    const QRect rect = f.plot.axisRect()->rect();
    QVERIFY2(rect.height() < 90, qPrintable(QString::number(rect.height())));
    QCOMPARE(f.at(), f.corner());
}

void TestFigureLayout::labelFollowsGraphVisibility()
{
    Figure f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.plot));
    f.replot();
    QCOMPARE(f.at(), f.corner());
    f.graph->setVisible(false);
    f.replot();
    QCOMPARE(f.at(), f.middle());
    f.graph->setVisible(true);
    f.replot();
    QCOMPARE(f.at(), f.corner());
}

namespace {

QString outside(QCustomPlot &plot)
{
    const QRectF figure = plot.viewport();
    for (const QCPAxis *axis : {plot.xAxis, plot.yAxis})
        for (const QRectF &r : figuregeometry::tickLabelRects(axis))
            if (!figure.contains(r))
                return QStringLiteral("a tick label at (%1, %2 %3×%4) leaves the %5×%6 figure")
                    .arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height()).arg(figure.width()).arg(figure.height());
    return {};
}

} // namespace

void TestFigureLayout::tickLabelsStayInsideAfterChanges()
{
    // The x axis' last label, "10", is centred on the rect's right edge: half of it would leave the
    // figure unless the pass widens the right margin; it must widen it again for each change.
    Figure f;
    QVERIFY(QTest::qWaitForWindowExposed(&f.plot));
    f.replot();
    QVERIFY2(outside(f.plot).isEmpty(), qPrintable(outside(f.plot)));
    const int right = f.plot.viewport().right() - f.plot.axisRect()->rect().right();
    QFont big = f.plot.xAxis->tickLabelFont();
    big.setPointSizeF(big.pointSizeF() * 3);
    f.plot.xAxis->setTickLabelFont(big);  // same ticks, same texts, wider labels
    f.replot();
    QVERIFY2(outside(f.plot).isEmpty(), qPrintable(outside(f.plot)));
    QVERIFY(f.plot.viewport().right() - f.plot.axisRect()->rect().right() > right);
    const int wider = f.plot.viewport().right() - f.plot.axisRect()->rect().right();
    f.plot.xAxis->setRange(0, 1000);  // same font, longer texts
    f.replot();
    QVERIFY2(outside(f.plot).isEmpty(), qPrintable(outside(f.plot)));
    QVERIFY(f.plot.viewport().right() - f.plot.axisRect()->rect().right() > wider);
}

void TestFigureLayout::textMeasuresAreQFontMetricsOnes()
{
    // The measures are remembered per font: equal fonts built apart share them, fonts that differ
    // in size or weight do not, whatever order they are asked in (the fonts in use move up).
    QVector<QFont> fonts;
    for (const double size : {7.0, 9.0, 9.5, 13.0}) {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(size);
        fonts << f;
        f.setBold(true);
        fonts << f;
    }
    const QStringList texts{QStringLiteral("10"), QStringLiteral("KV length 4096 · batch 8"), QStringLiteral("two\nlines")};
    for (int round = 0; round < 3; ++round)
        for (int i = 0; i < fonts.size(); ++i) {
            const QFont &font = fonts[round == 1 ? fonts.size() - 1 - i : i];
            QFont twin(font.family());  // equal, not shared
            twin.setPointSizeF(font.pointSizeF());
            twin.setBold(font.bold());
            for (const QString &t : texts)
                for (const QFont &f : {font, twin}) {
                    const QFontMetrics m(f);
                    QCOMPARE(viewutil::textBounds(f, Qt::TextDontClip, t), m.boundingRect(0, 0, 0, 0, Qt::TextDontClip, t));
                    QCOMPARE(viewutil::textBounds(f, Qt::AlignCenter, t, 20), m.boundingRect(0, 0, 0, 20, Qt::AlignCenter, t));
                    QCOMPARE(viewutil::textAdvance(f, t), m.horizontalAdvance(t));
                    QCOMPARE(viewutil::textAdvanceF(f, t), QFontMetricsF(f).horizontalAdvance(t));
                }
        }
    QVERIFY(viewutil::textAdvance(fonts[0], texts[1]) < viewutil::textAdvance(fonts[6], texts[1]));  // the cache keeps them apart
}

QTEST_MAIN(TestFigureLayout)
#include "tst_figurelayout.moc"
