// SPDX-License-Identifier: MIT
// Every view of every shipped scenario, exported at the sizes and themes people use, has a clean
// layout: read from the rendered items' own rectangles, no text leaves the figure, no two labels
// overlap, no label covers a data marker and no legend covers a data point.
#include "scenario.h"
#include "views/figurelayout.h"
#include "views/plotexporter.h"
#include "views/plotview.h"
#include "views/viewfactory.h"

#include <qcustomplot.h>

#include <QDir>
#include <QtTest>

#include <memory>

using namespace mlastudio::ui;
using namespace mlastudio::ui::figuregeometry;

namespace {

struct Look {
    const char *name;
    const char *size;
    const char *theme;
};

// The combinations of issue 10: paper in both columns, slides and light on a slide, dark in a double column.
constexpr Look kLooks[] = {
    {"paper-single", "single-column", "paper"}, {"paper-double", "double-column", "paper"},
    {"slides-slide", "slide", "slides"},        {"light-slide", "slide", "light"},
    {"dark-double", "double-column", "dark"},
};

QString describe(const QRectF &r)
{
    return QStringLiteral("(%1,%2 %3×%4)").arg(r.x(), 0, 'f', 0).arg(r.y(), 0, 'f', 0).arg(r.width(), 0, 'f', 0).arg(r.height(), 0, 'f', 0);
}

struct Text {
    QString what;
    QRectF rect;
};

// Every text the figure draws, with its rectangle.
QVector<Text> texts(QCustomPlot *p, QVector<Text> *labels, QVector<Text> *ticks)
{
    QVector<Text> all;
    for (int i = 0; i < p->itemCount(); ++i)
        if (auto *t = qobject_cast<QCPItemText *>(p->item(i)); t && t->visible() && !t->text().trimmed().isEmpty()) {
            const Text x{QStringLiteral("label \"%1\"").arg(t->text().simplified()), textBox(t)};
            all << x;
            *labels << x;
        }
    for (QCPAxisRect *rect : p->axisRects()) {
        if (!rect->visible())
            continue;
        for (QCPAxis *axis : rect->axes()) {
            const QVector<QRectF> tr = tickLabelRects(axis);
            for (int i = 0; i < tr.size(); ++i) {
                const Text x{QStringLiteral("tick label of \"%1\"").arg(axis->label()), tr[i]};
                all << x;
                *ticks << x;
            }
            if (const QRectF t = axisTitleRect(axis); !t.isEmpty())
                all << Text{QStringLiteral("axis title \"%1\"").arg(axis->label()), t};
        }
    }
    for (QCPLayoutElement *el : p->plotLayout()->elements(true))
        if (auto *te = qobject_cast<QCPTextElement *>(el); te && te->visible() && !te->text().isEmpty()) {
            const QFontMetrics fm(te->font());
            const QRect b = fm.boundingRect(te->rect(), Qt::TextDontClip | te->textFlags(), te->text());
            all << Text{QStringLiteral("caption \"%1\"").arg(te->text().simplified()), b};
        }
    return all;
}

QVector<QCPLegend *> legends(QCustomPlot *p)
{
    QVector<QCPLegend *> out;
    for (QCPLayoutElement *el : p->plotLayout()->elements(true))
        if (auto *l = qobject_cast<QCPLegend *>(el); l && l->visible() && l->itemCount() > 0)
            out << l;
    for (QCPAxisRect *rect : p->axisRects())
        for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
            if (auto *l = qobject_cast<QCPLegend *>(rect->insetLayout()->elementAt(i)); l && l->visible() && l->itemCount() > 0 && !out.contains(l))
                out << l;
    return out;
}

// The problems of one rendered figure, one line each.
QStringList problems(PlotView *view, const QSize &size)
{
    QStringList out;
    QCustomPlot *p = view->plot();
    const QRectF figure(0, 0, size.width(), size.height());
    QVector<Text> labels, ticks;
    const QVector<Text> all = texts(p, &labels, &ticks);
    for (const Text &t : all)
        if (!figure.adjusted(-0.5, -0.5, 0.5, 0.5).contains(t.rect))
            out << QStringLiteral("%1 %2 leaves the figure %3").arg(t.what, describe(t.rect), describe(figure));
    // Labels against labels and against the tick labels (which include the corners of the axes).
    const auto overlap = [](const QRectF &a, const QRectF &b) {
        const QRectF i = a.intersected(b);
        return !i.isEmpty() && i.width() > 0.5 && i.height() > 0.5;
    };
    for (int i = 0; i < labels.size(); ++i) {
        for (int j = i + 1; j < labels.size(); ++j)
            if (overlap(labels[i].rect, labels[j].rect))
                out << QStringLiteral("%1 %2 overlaps %3 %4").arg(labels[i].what, describe(labels[i].rect), labels[j].what, describe(labels[j].rect));
        for (const Text &t : ticks)
            if (overlap(labels[i].rect, t.rect))
                out << QStringLiteral("%1 %2 overlaps %3 %4").arg(labels[i].what, describe(labels[i].rect), t.what, describe(t.rect));
    }
    for (QCPAxisRect *rect : p->axisRects()) {
        if (!rect->visible())
            continue;
        const QVector<QRectF> xs = tickLabelRects(rect->axis(QCPAxis::atBottom)), ys = tickLabelRects(rect->axis(QCPAxis::atLeft));
        for (const QRectF &a : xs)
            for (const QRectF &b : ys)
                if (overlap(a, b))
                    out << QStringLiteral("x tick label %1 overlaps y tick label %2 in the corner").arg(describe(a), describe(b));
    }
    const QVector<QRectF> markers = markerRects(p);
    for (const Text &l : labels)
        for (const QRectF &m : markers)
            if (overlap(l.rect, m.adjusted(1, 1, -1, -1)))
                out << QStringLiteral("%1 %2 covers a marker %3").arg(l.what, describe(l.rect), describe(m));
    const QVector<QPointF> points = dataPoints(p);
    const QVector<QRectF> bars = barRects(p);
    for (QCPLegend *legend : legends(p)) {
        const QRectF r = legend->outerRect();
        if (!figure.adjusted(-0.5, -0.5, 0.5, 0.5).contains(r))
            out << QStringLiteral("legend %1 leaves the figure").arg(describe(r));
        for (const QPointF &pt : points)
            if (r.contains(pt))
                out << QStringLiteral("legend %1 covers the data point at %2, %3").arg(describe(r)).arg(pt.x()).arg(pt.y());
        for (const QRectF &m : markers)
            if (overlap(r, m.adjusted(1, 1, -1, -1)))
                out << QStringLiteral("legend %1 covers a marker %2").arg(describe(r), describe(m));
        for (const QRectF &b : bars)
            if (overlap(r, b))
                out << QStringLiteral("legend %1 covers a bar %2").arg(describe(r), describe(b));
    }
    out.removeDuplicates();
    return out;
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanFigures_data();
    void cleanFigures();
    void checkFindsDefects();
};

void TestLayout::cleanFigures_data()
{
    QTest::addColumn<QString>("scenarioPath");
    QTest::addColumn<QString>("viewId");
    QTest::addColumn<QString>("size");
    QTest::addColumn<QString>("theme");
    const QDir dir(QStringLiteral(":/presets/scenarios"));
    const QStringList names = dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name);
    QVERIFY(names.size() >= 7);
    for (const QString &name : names)
        for (const QString &viewId : plotViewIds())
            for (const Look &look : kLooks)
                QTest::addRow("%s/%s/%s", qPrintable(name.section(QLatin1Char('.'), 0, 0)), qPrintable(viewId), look.name)
                    << dir.filePath(name) << viewId << QString::fromLatin1(look.size) << QString::fromLatin1(look.theme);
}

void TestLayout::cleanFigures()
{
    QFETCH(QString, scenarioPath);
    QFETCH(QString, viewId);
    QFETCH(QString, size);
    QFETCH(QString, theme);
    Scenario scenario;
    QCOMPARE(scenario.open(scenarioPath), QString());
    std::unique_ptr<PlotView> view(createPlotView(viewId, &scenario));
    QVERIFY(view);
    view->resize(900, 600);
    ExportOptions o;
    QVERIFY(o.setSizeString(size));
    o.theme = *themeFromId(theme);
    o.dpi = 48;  // layout is in 1/96 in whatever the resolution: a small image is enough
    QStringList found;
    bool inspected = false;
    const QImage image = PlotExporter::renderImage(view.get(), o, [&](PlotView *v, const QSize &logical) {
        inspected = true;
        QVERIFY2(!v->isShowingMessage(), qPrintable(v->messageText()));
        found = problems(v, logical);
    });
    QVERIFY(!image.isNull());
    QVERIFY(inspected);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1String("\n    "))));
}

// The checks see what they claim to: a label pushed onto a marker, past the edge and onto another
// label, and a legend over the data, are each reported.
void TestLayout::checkFindsDefects()
{
    Scenario scenario;
    std::unique_ptr<PlotView> view(createPlotView(QStringLiteral("roofline"), &scenario));
    ExportOptions o;
    o.dpi = 48;
    QStringList found;
    PlotExporter::renderImage(view.get(), o, [&](PlotView *v, const QSize &logical) {
        QCustomPlot *p = v->plot();
        const QVector<QRectF> markers = markerRects(p);
        QVERIFY(!markers.isEmpty());
        auto *a = new QCPItemText(p);
        a->setText(QStringLiteral("on a marker"));
        a->position->setType(QCPItemPosition::ptAbsolute);
        a->position->setCoords(markers.front().center());
        auto *b = new QCPItemText(p);
        b->setText(QStringLiteral("over the edge"));
        b->position->setType(QCPItemPosition::ptAbsolute);
        b->position->setCoords(logical.width() - 5.0, 40.0);
        auto *c = new QCPItemText(p);
        c->setText(QStringLiteral("over the edge too"));
        c->position->setType(QCPItemPosition::ptAbsolute);
        c->position->setCoords(logical.width() - 5.0, 40.0);
        // The legend over the whole plot area (wherever the layout put it).
        p->legend->setVisible(true);
        p->legend->setOuterRect(p->axisRect()->rect());
        found = problems(v, logical);
    });
    const QString all = found.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("label \"on a marker\"")) && all.contains(QLatin1String("covers a marker")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("label \"over the edge\"")) && all.contains(QLatin1String("leaves the figure")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("overlaps label \"over the edge too\"")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("legend")) && all.contains(QLatin1String("covers the data point")), qPrintable(all));
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
