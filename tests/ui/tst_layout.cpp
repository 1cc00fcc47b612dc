// SPDX-License-Identifier: MIT
// Every view of every shipped scenario, exported at the sizes and themes people use, has a clean
// layout: read from the rendered items' own rectangles, no text leaves the figure, no two labels
// overlap, no label covers a data marker and no legend covers a data point.
#include "scenario.h"
#include "schemestyle.h"
#include "views/figurelayout.h"
#include "views/plotexporter.h"
#include "views/plotview.h"
#include "views/rooflineview.h"
#include "views/viewfactory.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
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

// A filled marker wholly (but for a sliver under 1.5 px, or a fifth of its radius) under a filled one
// drawn after it, e.g. MHA's current point under recompute's at batch 1. Markers in draw order:
// layers, then the order of their plottables and items. (Outlines, such as the scheme map's star,
// hide nothing; the validation view's measured points are data, not a scheme's current point.)
QStringList coveredMarkers(QCustomPlot *p)
{
    const auto filled = [](const QBrush &b) { return b.style() != Qt::NoBrush && b.color().alpha() > 0; };
    struct Disc {
        QPointF centre;
        double radius;
    };
    QVector<Disc> discs;
    for (int l = 0; l < p->layerCount(); ++l)
        for (QCPLayerable *item : p->layer(l)->children()) {
            if (!item->realVisibility())
                continue;
            if (auto *g = qobject_cast<QCPGraph *>(item);
                g && (g->scatterStyle().shape() == QCPScatterStyle::ssDisc
                      || (g->scatterStyle().shape() == QCPScatterStyle::ssCircle && filled(g->scatterStyle().brush())))) {
                const double r = g->scatterStyle().size() / 2.0 + g->pen().widthF() / 2.0;
                const QRectF area = g->keyAxis()->axisRect()->rect();
                for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                    const QPointF c(g->keyAxis()->coordToPixel(it->key), g->valueAxis()->coordToPixel(it->value));
                    if (std::isfinite(c.x()) && std::isfinite(c.y()) && area.contains(c))
                        discs.push_back({c, r});
                }
            } else if (auto *t = qobject_cast<QCPItemTracer *>(item); t && t->style() == QCPItemTracer::tsCircle && filled(t->brush())) {
                discs.push_back({t->position->pixelPosition(), t->size() / 2.0 + t->pen().widthF() / 2.0});
            }
        }
    QStringList out;
    for (int i = 0; i < discs.size(); ++i) {
        for (int j = i + 1; j < discs.size(); ++j) {
            const double d = QLineF(discs[i].centre, discs[j].centre).length();
            if (d + discs[i].radius - discs[j].radius < std::max(1.5, 0.2 * discs[i].radius))
                out << QStringLiteral("marker at %1,%2 (r %3) is hidden under one drawn after it at %4,%5 (r %6)")
                           .arg(discs[i].centre.x()).arg(discs[i].centre.y()).arg(discs[i].radius)
                           .arg(discs[j].centre.x()).arg(discs[j].centre.y()).arg(discs[j].radius);
        }
        // Hidden by several together (a point between two others): less than a fifth of it shows.
        const Disc &a = discs[i];
        int inside = 0, shown = 0;
        for (double y = -a.radius; y <= a.radius; y += 0.25)
            for (double x = -a.radius; x <= a.radius; x += 0.25) {
                if (x * x + y * y > a.radius * a.radius)
                    continue;
                ++inside;
                const QPointF pt = a.centre + QPointF(x, y);
                bool covered = false;
                for (int j = i + 1; j < discs.size() && !covered; ++j)
                    covered = QLineF(pt, discs[j].centre).length() < discs[j].radius;
                shown += covered ? 0 : 1;
            }
        if (inside > 0 && shown < inside / 5)
            out << QStringLiteral("marker at %1,%2 (r %3) is %4 % hidden under markers drawn after it")
                       .arg(a.centre.x()).arg(a.centre.y()).arg(a.radius).arg(100 - 100 * shown / inside);
    }
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
    if (view->viewId() != QLatin1String("validation"))
        out += coveredMarkers(p);
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
    void operatorsToggleNamesEachOperator();
    void hiddenLabelsMoveToTheCaption();
    void directLabelsAreClean_data();
    void directLabelsAreClean();
    void dockSizedViewsKeepTextInside_data();
    void dockSizedViewsKeepTextInside();
    void captionWrapsToTheFigure();
    void memoryKeyNamesExpertParallelism();
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

// The roofline's Operators box goes through the scenario (one undo step) and names every operator
// point that has room, the fused attention kernel with its scheme; the layout test rows above check
// that the names cover nothing.
void TestLayout::operatorsToggleNamesEachOperator()
{
    Scenario scenario;
    RooflineView view(&scenario);
    QVERIFY(!view.operatorsBox()->isChecked());
    const auto texts = [&] {
        QStringList out;
        for (int i = 0; i < view.plot()->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(view.plot()->item(i)))
                out << t->text();
        return out;
    };
    QVERIFY(!texts().contains(QStringLiteral("attention (reuse)")));
    view.operatorsBox()->click();
    QVERIFY(scenario.viewSettings().showOperators);
    QCOMPARE(scenario.undoStack()->count(), 1);
    QStringList names = texts();
    for (const QString &name : {QStringLiteral("attention (reuse)"), QStringLiteral("attention (recompute)"),
                                QStringLiteral("attention (MHA)"), QStringLiteral("q_proj"), QStringLiteral("o_proj")})
        QVERIFY2(names.contains(name), qPrintable(names.join(QLatin1String(", "))));
    // Shared projections get one label where their points coincide, not one per scheme.
    QVERIFY(names.count(QStringLiteral("kv_down")) <= 1);
    // Rendered double-column, the MLA attention kernels have room for their names.
    ExportOptions o;
    QVERIFY(o.setSizeString(QStringLiteral("double-column")));
    o.dpi = 48;
    QStringList shown;
    PlotExporter::renderImage(&view, o, [&](PlotView *v, const QSize &) {
        for (int i = 0; i < v->plot()->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(v->plot()->item(i)); t && t->visible())
                shown << t->text();
    });
    QVERIFY2(shown.contains(QStringLiteral("attention (reuse)")) && shown.contains(QStringLiteral("attention (recompute)")),
             qPrintable(shown.join(QLatin1String(", "))));
    scenario.undoStack()->undo();
    QVERIFY(!view.operatorsBox()->isChecked());
    QVERIFY(!texts().contains(QStringLiteral("attention (reuse)")));
}

// In a single-column figure the ridge values do not all fit beside their lines: each one that is
// hidden is in the caption instead, and none is lost.
void TestLayout::hiddenLabelsMoveToTheCaption()
{
    Scenario scenario;
    QCOMPARE(scenario.open(QStringLiteral(":/presets/scenarios/roofline-shift-h100.mlastudio.json")), QString());
    RooflineView view(&scenario);
    ExportOptions o;
    o.dpi = 48;
    int hidden = 0;
    PlotExporter::renderImage(&view, o, [&](PlotView *v, const QSize &) {
        QString caption;
        for (QCPLayoutElement *el : v->plot()->plotLayout()->elements(true))
            if (auto *te = qobject_cast<QCPTextElement *>(el))
                caption += te->text();
        caption.replace(QLatin1Char('\n'), QLatin1Char(' '));
        for (int i = 0; i < v->plot()->itemCount(); ++i) {
            auto *t = qobject_cast<QCPItemText *>(v->plot()->item(i));
            if (!t || !t->text().contains(QLatin1String("ridge")))
                continue;
            if (!t->visible()) {
                ++hidden;
                QVERIFY2(caption.contains(t->text()), qPrintable(t->text() + QLatin1String(" not in: ") + caption));
            } else {
                QVERIFY2(!caption.contains(t->text()), qPrintable(t->text() + QLatin1String(" twice")));
            }
        }
    });
    QVERIFY(hidden >= 1);  // H100's three ridges never all fit a 3.5 in figure
}

void TestLayout::directLabelsAreClean_data()
{
    QTest::addColumn<QString>("scenarioPath");
    QTest::addColumn<QString>("viewId");
    const QDir dir(QStringLiteral(":/presets/scenarios"));
    for (const QString &name : dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name))
        for (const char *viewId : {"roofline", "throughput", "energy"})
            QTest::addRow("%s/%s", qPrintable(name.section(QLatin1Char('.'), 0, 0)), viewId)
                << dir.filePath(name) << QString::fromLatin1(viewId);
}

// Presentation mode's direct labels (slides theme on a slide): every visible scheme's curve or point
// named once, on a figure that passes every check above. A roofline point's name is crossed by no
// roof (a ridge's dotted drop line it may cross); one with no free spot beside its point is in the caption instead.
void TestLayout::directLabelsAreClean()
{
    QFETCH(QString, scenarioPath);
    QFETCH(QString, viewId);
    Scenario scenario;
    QCOMPARE(scenario.open(scenarioPath), QString());
    std::unique_ptr<PlotView> view(createPlotView(viewId, &scenario));
    QVERIFY(view);
    view->setDirectLabels(true);
    view->resize(900, 600);
    ExportOptions o;
    QVERIFY(o.setSizeString(QStringLiteral("slide")));
    o.theme = ThemeId::Slides;
    o.dpi = 48;
    const bool roofline = viewId == QLatin1String("roofline");
    QStringList schemeNames;
    for (const mlastudio::core::Scheme s : scenario.visibleSchemes())
        schemeNames << schemeName(s);
    QStringList found, names;
    QString caption;
    const QImage image = PlotExporter::renderImage(view.get(), o, [&](PlotView *v, const QSize &logical) {
        found = problems(v, logical);
        const QVector<QLineF> roofs = lineSegments(v->plot(), Lines::Graphs);
        for (int i = 0; i < v->plot()->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(v->plot()->item(i)); t && t->visible()) {
                names << t->text();
                if (!roofline || !schemeNames.contains(t->text()))
                    continue;
                const QRectF box = textBox(t).adjusted(0.5, 0.5, -0.5, -0.5);
                for (const QLineF &seg : roofs)
                    if (intersects(seg, box))
                        found << QStringLiteral("label \"%1\" %2 is crossed by the roof %3,%4 – %5,%6")
                                     .arg(t->text(), describe(box)).arg(seg.x1()).arg(seg.y1()).arg(seg.x2()).arg(seg.y2());
            }
        for (QCPLayoutElement *el : v->plot()->plotLayout()->elements(true))
            if (auto *te = qobject_cast<QCPTextElement *>(el))
                caption += te->text().replace(QLatin1Char('\n'), QLatin1Char(' ')) + QLatin1Char(' ');
    });
    QVERIFY(!image.isNull());
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1String("\n    "))));
    int named = 0;
    for (const mlastudio::core::Scheme s : scenario.visibleSchemes())
        if (scenario.result(s)) {
            const bool captioned = roofline && caption.contains(schemeName(s) + QStringLiteral(" at "));
            QVERIFY2(names.count(schemeName(s)) == (captioned ? 0 : 1),
                     qPrintable(schemeName(s) + QStringLiteral(" in ") + names.join(QStringLiteral(" | ")) + QStringLiteral(" / ") + caption));
            ++named;
        }
    QVERIFY(named >= 2);
}

void TestLayout::dockSizedViewsKeepTextInside_data()
{
    QTest::addColumn<QString>("scenarioPath");
    QTest::addColumn<QString>("viewId");
    QTest::addColumn<QSize>("size");
    const QDir dir(QStringLiteral(":/presets/scenarios"));
    QStringList paths{QString()};  // the default scenario first: what a new window shows
    for (const QString &name : dir.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name))
        paths << dir.filePath(name);
    for (const QString &path : paths)
        for (const QString &viewId : plotViewIds())
            // A dock of a 1600 × 1000 window, a smaller one, and the narrow roofline dock of a
            // 964 × 796 window (docs/screenshot-main.png).
            for (const QSize &size : {QSize(420, 320), QSize(480, 360), QSize(240, 480)})
                QTest::addRow("%s/%s/%dx%d", path.isEmpty() ? "default" : qPrintable(QFileInfo(path).fileName().section(QLatin1Char('.'), 0, 0)),
                              qPrintable(viewId), size.width(), size.height())
                    << path << viewId << size;
}

// On screen, in a dock of the main window (the light theme at the screen's own size, not an export
// size): every text the figure draws, captions and axis titles included, stays inside the widget.
void TestLayout::dockSizedViewsKeepTextInside()
{
    QFETCH(QString, scenarioPath);
    QFETCH(QString, viewId);
    QFETCH(QSize, size);
    Scenario scenario;
    if (!scenarioPath.isEmpty())
        QCOMPARE(scenario.open(scenarioPath), QString());
    std::unique_ptr<PlotView> view(createPlotView(viewId, &scenario));
    QVERIFY(view);
    view->resize(size);
    view->show();
    QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    QCustomPlot *p = view->plot();
    QTRY_VERIFY(p->width() > 0 && p->height() > 0);
    p->replot();  // the layout pass at the widget's own size
    QVERIFY2(!view->isShowingMessage(), qPrintable(view->messageText()));
    QVector<Text> labels, ticks;
    const QRectF widget(0, 0, p->width(), p->height());
    QStringList found;
    for (const Text &t : texts(p, &labels, &ticks))
        if (!widget.adjusted(-0.5, -0.5, 0.5, 0.5).contains(t.rect))
            found << QStringLiteral("%1 %2 leaves the %3 × %4 plot").arg(t.what, describe(t.rect)).arg(p->width()).arg(p->height());
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1String("\n    "))));
}

// A caption part wider than the figure (the roofline's peaks in a narrow dock) wraps at its spaces
// instead of running off both sides; every word of it is still there.
void TestLayout::captionWrapsToTheFigure()
{
    Scenario scenario;  // H100: 989 TFLOP/s 16-bit and 1.98 PFLOP/s 8-bit, the longest part
    RooflineView view(&scenario);
    view.resize(240, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCustomPlot *p = view.plot();
    p->replot();
    QCPTextElement *caption = nullptr;
    for (QCPLayoutElement *el : p->plotLayout()->elements(true))
        if (auto *te = qobject_cast<QCPTextElement *>(el))
            caption = te;
    QVERIFY(caption);
    const QFontMetrics fm(caption->font());
    const QStringList lines = caption->text().split(QLatin1Char('\n'));
    QVERIFY2(lines.size() >= 3, qPrintable(caption->text()));
    for (const QString &line : lines)
        QVERIFY2(fm.horizontalAdvance(line) <= p->width(), qPrintable(line + QStringLiteral(" is wider than the plot")));
    const QString joined = caption->text().simplified();
    for (const QString &word : {QStringLiteral("DRAM"), QStringLiteral("on-chip"), QStringLiteral("989"), QStringLiteral("(16-bit),"),
                                QStringLiteral("1.98"), QStringLiteral("PFLOP/s"), QStringLiteral("(8-bit)")})
        QVERIFY2(joined.contains(word), qPrintable(word + QStringLiteral(" missing from ") + joined));
}

// With expert parallelism the memory view's key says how the routed experts are split, and that EP
// does nothing when only attention is modelled; at EP 1 it says nothing about it.
void TestLayout::memoryKeyNamesExpertParallelism()
{
    Scenario scenario;  // DeepSeek-V3: 256 routed experts
    const auto key = [&] {
        std::unique_ptr<PlotView> view(createPlotView(QStringLiteral("memory"), &scenario));
        for (int i = 0; i < view->plot()->itemCount(); ++i)
            if (auto *t = qobject_cast<QCPItemText *>(view->plot()->item(i)); t && t->text().startsWith(QLatin1String("B = ")))
                return t->text();
        return QString();
    };
    QVERIFY(!key().contains(QLatin1String("EP")));
    scenario.setField(mlastudio::core::Field::DataParallel, 8);
    scenario.setField(mlastudio::core::Field::ExpertParallel, 8);
    QCOMPARE(scenario.parameters().parallel.expert, 8);
    QVERIFY2(key().contains(QStringLiteral("B = 1, L = 4096 · EP 8: no effect (attention only)")), qPrintable(key()));
    scenario.setScope(mlastudio::core::Scope::Model);
    QVERIFY2(key().contains(QStringLiteral("EP 8: 32 of 256 experts/device")), qPrintable(key()));
    QVERIFY2(key().contains(QStringLiteral("one device of 8 (TP 1 × DP 8)")), qPrintable(key()));
    // The key is no taller with EP: a double-column figure stays clean. (A single-column one with
    // eight devices in whole-model scope has its key on the bar labels at EP 1 already.)
    std::unique_ptr<PlotView> view(createPlotView(QStringLiteral("memory"), &scenario));
    ExportOptions o;
    o.dpi = 48;
    QVERIFY(o.setSizeString(QStringLiteral("double-column")));
    QStringList found;
    PlotExporter::renderImage(view.get(), o, [&](PlotView *v, const QSize &logical) { found = problems(v, logical); });
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1String("\n    "))));
}

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
