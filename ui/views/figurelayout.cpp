// SPDX-License-Identifier: MIT
#include "views/figurelayout.h"

#include "views/viewutil.h"

#include <qcustomplot.h>

#include <QGuiApplication>
#include <QScreen>
#include <QVarLengthArray>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

namespace mlastudio::ui {

namespace figuregeometry {

namespace {

bool finitePoint(const QPointF &p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

// Pixel position of a data value, or a non-finite point if the axis cannot show it.
QPointF pixelOf(const QCPAxis *key, const QCPAxis *value, double k, double v)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(k) || !std::isfinite(v))
        return {nan, nan};
    if ((key->scaleType() == QCPAxis::stLogarithmic && k <= 0.0) || (value->scaleType() == QCPAxis::stLogarithmic && v <= 0.0))
        return {nan, nan};
    const double px = key->coordToPixel(k), py = value->coordToPixel(v);
    // Key axes are horizontal in every view.
    return key->orientation() == Qt::Horizontal ? QPointF(px, py) : QPointF(py, px);
}

bool graphShown(const QCPGraph *g)
{
    return g->visible() && g->keyAxis() && g->valueAxis() && g->keyAxis()->axisRect()->visible() && g->realVisibility();
}

// Liang–Barsky: the part of the line p + t·d (t in [t0, t1]) inside rect.
bool clip(QPointF p, QPointF d, double t0, double t1, const QRectF &r, QLineF *out)
{
    const double ps[4] = {-d.x(), d.x(), -d.y(), d.y()};
    const double qs[4] = {p.x() - r.left(), r.right() - p.x(), p.y() - r.top(), r.bottom() - p.y()};
    for (int i = 0; i < 4; ++i) {
        if (std::abs(ps[i]) < 1e-12) {
            if (qs[i] < 0)
                return false;
            continue;
        }
        const double t = qs[i] / ps[i];
        if (ps[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    *out = QLineF(p + t0 * d, p + t1 * d);
    return true;
}

// How an axis draws its tick labels, read once per axis rather than once per label.
struct TickLabelFont {
    explicit TickLabelFont(const QCPAxis *axis)
        : font(axis->tickLabelFont())
        , beautiful(axis->numberFormat().contains(QLatin1Char('b')))
    {
        if (beautiful) {
            expFont = font;
            expFont.setPointSizeF(expFont.pointSizeF() * 0.75);
        }
    }
    QFont font;
    QFont expFont;
    bool beautiful;
};

QSizeF tickLabelSize(const TickLabelFont &f, const QString &text)
{
    const int e = text.indexOf(QLatin1Char('e'));
    if (f.beautiful && e > 0) {
        // "1e+09" is drawn as 10 with a superscript 9 in a 0.75 × font (QCPAxisPainterPrivate).
        QString base = text.left(e);
        base = base == QLatin1String("1") ? QStringLiteral("10") : base + QStringLiteral("·10");
        QString exp = text.mid(e + 1).remove(QLatin1Char('+'));
        while (exp.size() > 1 && exp.at(0) == QLatin1Char('0'))
            exp.remove(0, 1);
        while (exp.size() > 2 && exp.at(0) == QLatin1Char('-') && exp.at(1) == QLatin1Char('0'))
            exp.remove(1, 1);
        const QRect b = viewutil::textBounds(f.font, Qt::TextDontClip, base);
        const QRect x = viewutil::textBounds(f.expFont, Qt::TextDontClip, exp);
        return QSizeF(b.width() + x.width() + 2, b.height());
    }
    return viewutil::textBounds(f.font, Qt::TextDontClip, text).size();
}

} // namespace

QRectF textBox(const QCPItemText *item)
{
    const QRect text = viewutil::textBounds(item->font(), Qt::TextDontClip | item->textAlignment(), item->text());
    const QMargins pad = item->padding();
    const QRectF box = QRectF(text).adjusted(-pad.left(), -pad.top(), pad.right(), pad.bottom());
    QPointF pos = item->position->pixelPosition();
    const Qt::Alignment a = item->positionAlignment();
    if (a.testFlag(Qt::AlignHCenter))
        pos.rx() -= box.width() / 2.0;
    else if (a.testFlag(Qt::AlignRight))
        pos.rx() -= box.width();
    if (a.testFlag(Qt::AlignVCenter))
        pos.ry() -= box.height() / 2.0;
    else if (a.testFlag(Qt::AlignBottom))
        pos.ry() -= box.height();
    return QRectF(pos.toPoint(), box.size());
}

namespace {

// One graph's share (see graphGeometry()); null outputs are not computed.
void mapGraph(const QCPGraph *g, double r, QVector<QRectF> *markers, QVector<QPointF> *points, QVector<QLineF> *curves)
{
    const QRectF area = g->keyAxis()->axisRect()->rect();
    const QRectF markerArea = area.adjusted(-r, -r, r, r);
    const QCPAxis *key = g->keyAxis(), *value = g->valueAxis();
    const QSharedPointer<QCPGraphDataContainer> data = g->data();  // one copy, not two a vertex
    QPointF prev;
    bool havePrev = false;
    for (auto it = data->constBegin(), end = data->constEnd(); it != end; ++it) {
        const QPointF p = pixelOf(key, value, it->key, it->value);
        if (!finitePoint(p)) {
            havePrev = false;
            continue;
        }
        if (markers && markerArea.contains(p))
            *markers << QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r);
        if (points && area.contains(p))
            *points << p;
        QLineF seg;
        if (curves && havePrev && clip(prev, p - prev, 0.0, 1.0, area, &seg))
            *curves << seg;
        prev = p;
        havePrev = true;
    }
}

bool same(double a, double b)
{
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// What QCPAxis::coordToPixel() reads: the axis' orientation, scale, direction, range and axis rect.
struct AxisState {
    explicit AxisState(const QCPAxis *a)
        : orientation(a->orientation())
        , scale(a->scaleType())
        , reversed(a->rangeReversed())
        , lower(a->range().lower)
        , upper(a->range().upper)
        , rect(a->axisRect()->rect())
    {
    }
    bool operator==(const AxisState &o) const
    {
        return orientation == o.orientation && scale == o.scale && reversed == o.reversed && same(lower, o.lower)
               && same(upper, o.upper) && rect == o.rect;
    }
    Qt::Orientation orientation;
    QCPAxis::ScaleType scale;
    bool reversed;
    double lower;
    double upper;
    QRect rect;
};

} // namespace

// The graphs' pixels of the last walk and everything each was computed from (its data bit for bit,
// its axes' state, its marker radius and styles): the same inputs map to the same pixels, so during
// a drag the graphs that did not change (most curves and roofs) are not mapped again. The same for
// the axes' tick label rects.
class PixelCache
{
public:
    struct Graph {
        AxisState key;
        AxisState value;
        double r = 0.0;
        bool scatter = false;
        bool line = false;
        std::vector<QCPGraphData> data;
        QVector<QRectF> markers;
        QVector<QPointF> points;
        QVector<QLineF> curves;

        bool matches(const Graph &o) const
        {
            return key == o.key && value == o.value && same(r, o.r) && scatter == o.scatter && line == o.line;
        }
        bool sameData(const QCPGraphDataContainer &d) const
        {
            if (data.size() != size_t(d.size()))
                return false;
            auto it = d.constBegin();
            for (const QCPGraphData &x : data) {
                if (!same(x.key, it->key) || !same(x.value, it->value))
                    return false;
                ++it;
            }
            return true;
        }
    };

    /** Starts a walk over the graphs: what the last walk did not ask for again is forgotten. */
    void rotate()
    {
        m_old.swap(m_now);
        m_now.clear();
    }

    /** \return \p g's markers, points and line segments (the last walk's if its inputs are the same). */
    const Graph &map(const QCPGraph *g, double r, bool scatter, bool line)
    {
        Graph state{AxisState(g->keyAxis()), AxisState(g->valueAxis()), r, scatter, line, {}, {}, {}, {}};
        const QSharedPointer<QCPGraphDataContainer> data = g->data();
        if (auto old = m_old.find(g); old != m_old.end() && old->second.matches(state) && old->second.sameData(*data)) {
            const auto it = m_now.insert_or_assign(g, std::move(old->second)).first;
            m_old.erase(old);
            return it->second;
        }
        state.data.assign(data->constBegin(), data->constEnd());
        mapGraph(g, r, scatter ? &state.markers : nullptr, scatter || line ? &state.points : nullptr, line ? &state.curves : nullptr);
        return m_now.insert_or_assign(g, std::move(state)).first->second;
    }

    /** \return tickLabelRects(\p axis), the last pass's if everything it reads is the same. */
    const QVector<QRectF> &tickLabels(const QCPAxis *axis)
    {
        TickInputs in(axis);
        if (auto it = m_ticks.find(axis); it != m_ticks.end() && it->second.first == in)
            return it->second.second;
        if (m_ticks.size() >= 64)
            m_ticks.clear();  // axes of rebuilt figures
        QVector<QRectF> rects = tickLabelRects(axis);
        return m_ticks.insert_or_assign(axis, std::pair{std::move(in), std::move(rects)}).first->second.second;
    }

private:
    // What tickLabelRects() reads of an axis (and the screen's dpi, which its measurements depend on).
    struct TickInputs {
        explicit TickInputs(const QCPAxis *a)
            : state(a)
            , visible(a->visible())
            , tickLabels(a->tickLabels())
            , type(a->axisType())
            , ticks(a->tickVector())
            , labels(a->tickVectorLabels())
            , offset(a->offset())
            , lengthOut(a->tickLengthOut())
            , padding(a->tickLabelPadding())
            , rotation(a->tickLabelRotation())
            , font(a->tickLabelFont())
            , format(a->numberFormat())
        {
            const QScreen *screen = QGuiApplication::primaryScreen();
            dpi = screen ? screen->logicalDotsPerInchY() : 0.0;
        }
        bool operator==(const TickInputs &o) const
        {
            return state == o.state && visible == o.visible && tickLabels == o.tickLabels && type == o.type
                   && std::equal(ticks.begin(), ticks.end(), o.ticks.begin(), o.ticks.end(), same) && labels == o.labels
                   && offset == o.offset && lengthOut == o.lengthOut && padding == o.padding && same(rotation, o.rotation)
                   && same(dpi, o.dpi) && format == o.format && font == o.font;
        }
        AxisState state;
        bool visible;
        bool tickLabels;
        QCPAxis::AxisType type;
        QVector<double> ticks;
        QVector<QString> labels;
        int offset;
        int lengthOut;
        int padding;
        double rotation;
        QFont font;
        QString format;
        qreal dpi = 0.0;
    };

    std::unordered_map<const QCPGraph *, Graph> m_old;
    std::unordered_map<const QCPGraph *, Graph> m_now;
    std::unordered_map<const QCPAxis *, std::pair<TickInputs, QVector<QRectF>>> m_ticks;
};

namespace {

// The graphs' share of markerRects(), dataPoints() and lineSegments(Lines::Graphs) in one walk over
// their data: each vertex is mapped to pixels once for all three (coordToPixel is the cost). Null
// outputs are not computed. With a \p cache, a graph mapped by the last walk from the same inputs
// is not mapped again.
void graphGeometry(QCustomPlot *plot, QVector<QRectF> *markers, QVector<QPointF> *points, QVector<QLineF> *curves,
                   PixelCache *cache = nullptr)
{
    if (cache)
        cache->rotate();
    for (int i = 0; i < plot->graphCount(); ++i) {
        const QCPGraph *g = plot->graph(i);
        if (!graphShown(g))
            continue;
        const bool scatter = !g->scatterStyle().isNone();
        const bool line = g->lineStyle() != QCPGraph::lsNone && g->pen().style() != Qt::NoPen;
        const bool wantMarkers = markers && scatter, wantPoints = points && (scatter || line), wantCurves = curves && line;
        if (!wantMarkers && !wantPoints && !wantCurves)
            continue;
        const double r = g->scatterStyle().size() / 2.0 + g->pen().widthF() / 2.0;
        if (!cache) {
            mapGraph(g, r, wantMarkers ? markers : nullptr, wantPoints ? points : nullptr, wantCurves ? curves : nullptr);
            continue;
        }
        const PixelCache::Graph &c = cache->map(g, r, scatter, line);
        if (wantMarkers)
            *markers += c.markers;
        if (wantPoints)
            *points += c.points;
        if (wantCurves)
            *curves += c.curves;
    }
}

bool tracerShown(const QCPAbstractItem *item)
{
    auto *t = qobject_cast<const QCPItemTracer *>(item);
    return t && t->visible() && t->style() != QCPItemTracer::tsNone;
}

void tracerMarkers(QCustomPlot *plot, QVector<QRectF> *out)
{
    for (int i = 0; i < plot->itemCount(); ++i)
        if (tracerShown(plot->item(i))) {
            auto *t = static_cast<const QCPItemTracer *>(plot->item(i));
            const QPointF p = t->position->pixelPosition();
            const double r = t->size() / 2.0 + t->pen().widthF() / 2.0;
            if (finitePoint(p))
                *out << QRectF(p.x() - r, p.y() - r, 2 * r, 2 * r);
        }
}

void tracerPoints(QCustomPlot *plot, QVector<QPointF> *out)
{
    for (int i = 0; i < plot->itemCount(); ++i)
        if (tracerShown(plot->item(i)))
            *out << static_cast<const QCPItemTracer *>(plot->item(i))->position->pixelPosition();
}

void itemLines(QCustomPlot *plot, QVector<QLineF> *out)
{
    for (int i = 0; i < plot->itemCount(); ++i) {
        QCPAbstractItem *item = plot->item(i);
        if (!item->visible())
            continue;
        const QRectF area = item->clipAxisRect() ? QRectF(item->clipAxisRect()->rect()) : QRectF(plot->viewport());
        QLineF seg;
        if (auto *l = qobject_cast<QCPItemLine *>(item)) {
            const QPointF a = l->start->pixelPosition(), b = l->end->pixelPosition();
            if (finitePoint(a) && finitePoint(b) && clip(a, b - a, 0.0, 1.0, area, &seg))
                *out << seg;
        } else if (auto *s = qobject_cast<QCPItemStraightLine *>(item)) {
            const QPointF a = s->point1->pixelPosition(), b = s->point2->pixelPosition();
            if (finitePoint(a) && finitePoint(b) && a != b && clip(a, b - a, -1e9, 1e9, area, &seg))
                *out << seg;
        }
    }
}

} // namespace

QVector<QRectF> markerRects(QCustomPlot *plot)
{
    QVector<QRectF> out;
    graphGeometry(plot, &out, nullptr, nullptr);
    tracerMarkers(plot, &out);
    return out;
}

QVector<QPointF> dataPoints(QCustomPlot *plot)
{
    QVector<QPointF> out;
    graphGeometry(plot, nullptr, &out, nullptr);
    tracerPoints(plot, &out);
    return out;
}

QVector<QLineF> lineSegments(QCustomPlot *plot, Lines which)
{
    QVector<QLineF> out;
    if (which != Lines::Items)
        graphGeometry(plot, nullptr, nullptr, &out);
    if (which != Lines::Graphs)
        itemLines(plot, &out);
    return out;
}

QVector<QRectF> barRects(QCustomPlot *plot)
{
    QVector<QRectF> out;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        auto *bars = qobject_cast<QCPBars *>(plot->plottable(i));
        if (!bars || !bars->visible() || !bars->keyAxis() || !bars->valueAxis() || !bars->keyAxis()->axisRect()->visible())
            continue;
        const QCPAxis *k = bars->keyAxis(), *v = bars->valueAxis();
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
            double base = 0.0;
            const QCPBars *lowest = bars;
            for (const QCPBars *below = bars->barBelow(); below; below = below->barBelow()) {
                lowest = below;
                auto b = below->data()->findBegin(it->key - 1e-9, false);
                if (b != below->data()->constEnd() && std::abs(b->key - it->key) < 1e-9)
                    base += b->value;
            }
            base += lowest->baseValue();
            const double half = bars->width() / 2.0;
            const QPointF a = pixelOf(k, v, it->key - half, base), b = pixelOf(k, v, it->key + half, base + it->value);
            if (finitePoint(a) && finitePoint(b))
                out << QRectF(a, b).normalized().intersected(QRectF(k->axisRect()->rect()));
        }
    }
    return out;
}

QVector<QRectF> tickLabelRects(const QCPAxis *axis)
{
    QVector<QRectF> out;
    if (!axis->visible() || !axis->tickLabels())
        return out;
    const QVector<double> ticks = axis->tickVector();
    const QVector<QString> labels = axis->tickVectorLabels();
    const QRect r = axis->axisRect()->rect();
    const double dist = axis->offset() + std::max(0, axis->tickLengthOut()) + axis->tickLabelPadding();
    const double angle = qDegreesToRadians(axis->tickLabelRotation());
    const TickLabelFont font(axis);
    for (int i = 0; i < ticks.size() && i < labels.size(); ++i) {
        if (!axis->range().contains(ticks[i]) || labels[i].isEmpty())
            continue;
        const double at = axis->coordToPixel(ticks[i]);
        // Only ticks QCustomPlot draws: on the axis (not on an axis rect too small to lay out).
        const bool horizontal = axis->orientation() == Qt::Horizontal;
        if (!std::isfinite(at) || at < (horizontal ? r.left() : r.top()) - 1 || at > (horizontal ? r.right() : r.bottom()) + 1)
            continue;
        QSizeF s = tickLabelSize(font, labels[i]);
        if (angle != 0.0)
            s = QSizeF(s.width() * std::abs(std::cos(angle)) + s.height() * std::abs(std::sin(angle)),
                       s.width() * std::abs(std::sin(angle)) + s.height() * std::abs(std::cos(angle)));
        switch (axis->axisType()) {
        case QCPAxis::atBottom:
            out << (angle > 0.0 ? QRectF(at - s.height() * std::sin(angle) / 2.0, r.bottom() + dist, s.width(), s.height())
                                : QRectF(at - s.width() / 2.0, r.bottom() + dist, s.width(), s.height()));
            break;
        case QCPAxis::atTop: out << QRectF(at - s.width() / 2.0, r.top() - dist - s.height(), s.width(), s.height()); break;
        case QCPAxis::atLeft: out << QRectF(r.left() - dist - s.width(), at - s.height() / 2.0, s.width(), s.height()); break;
        case QCPAxis::atRight: out << QRectF(r.right() + dist, at - s.height() / 2.0, s.width(), s.height()); break;
        }
    }
    return out;
}

QRectF axisTitleRect(const QCPAxis *axis)
{
    if (!axis->visible() || axis->label().isEmpty())
        return {};
    const QRect t = viewutil::textBounds(axis->labelFont(), Qt::TextDontClip | Qt::AlignCenter, axis->label());
    const QRect r = axis->axisRect()->rect();
    const QRect o = axis->axisRect()->outerRect();
    switch (axis->axisType()) {
    case QCPAxis::atBottom: return QRectF(r.center().x() - t.width() / 2.0, o.bottom() - t.height(), t.width(), t.height());
    case QCPAxis::atTop: return QRectF(r.center().x() - t.width() / 2.0, o.top(), t.width(), t.height());
    case QCPAxis::atLeft: return QRectF(o.left(), r.center().y() - t.width() / 2.0, t.height(), t.width());
    case QCPAxis::atRight: return QRectF(o.right() - t.height(), r.center().y() - t.width() / 2.0, t.height(), t.width());
    }
    return {};
}

bool intersects(const QLineF &s, const QRectF &rect)
{
    if (std::max(s.x1(), s.x2()) < rect.left() || std::min(s.x1(), s.x2()) > rect.right()
        || std::max(s.y1(), s.y2()) < rect.top() || std::min(s.y1(), s.y2()) > rect.bottom())
        return false;
    QLineF inside;
    return clip(s.p1(), s.p2() - s.p1(), 0.0, 1.0, rect, &inside);
}

} // namespace figuregeometry

using namespace figuregeometry;

namespace {

constexpr double kLabelGap = 1.0;  // pixels kept free around a label

double overlapArea(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    return i.isEmpty() ? 0.0 : i.width() * i.height();
}

QSizeF textSize(const QCPItemText *item)
{
    const QRect text = viewutil::textBounds(item->font(), Qt::TextDontClip | item->textAlignment(), item->text());
    const QMargins pad = item->padding();
    return QSizeF(text.width() + pad.left() + pad.right(), text.height() + pad.top() + pad.bottom());
}

QRectF alignedBox(const QPointF &anchor, const QSizeF &s, Qt::Alignment a)
{
    QPointF p = anchor;
    if (a.testFlag(Qt::AlignHCenter))
        p.rx() -= s.width() / 2.0;
    else if (a.testFlag(Qt::AlignRight))
        p.rx() -= s.width();
    if (a.testFlag(Qt::AlignVCenter))
        p.ry() -= s.height() / 2.0;
    else if (a.testFlag(Qt::AlignBottom))
        p.ry() -= s.height();
    return QRectF(p.toPoint(), s);
}

// The span of a label's candidate boxes. meets() is false only for what lies wholly outside it,
// which then overlaps none of the boxes (the test intersects() and QRectF::intersected() start with).
struct Reach {
    double left = std::numeric_limits<double>::infinity(), top = left;
    double right = -left, bottom = -left;
    void add(const QRectF &r)
    {
        left = std::min(left, r.left());
        top = std::min(top, r.top());
        right = std::max(right, r.right());
        bottom = std::max(bottom, r.bottom());
    }
    bool meets(const QRectF &r) const
    {
        return !(std::max(r.left(), r.right()) < left || std::min(r.left(), r.right()) > right
                 || std::max(r.top(), r.bottom()) < top || std::min(r.top(), r.bottom()) > bottom);
    }
    bool meets(const QLineF &s) const
    {
        return !(std::max(s.x1(), s.x2()) < left || std::min(s.x1(), s.x2()) > right
                 || std::max(s.y1(), s.y2()) < top || std::min(s.y1(), s.y2()) > bottom);
    }
};

// axis->coordToPixel(v), remembered for the last v (bit for bit): a label's spots share anchors.
class PixelMemo
{
public:
    explicit PixelMemo(const QCPAxis *axis)
        : m_axis(axis)
    {
    }
    double operator()(double v)
    {
        const auto bits = std::bit_cast<std::uint64_t>(v);
        if (!m_valid || bits != m_bits) {
            m_pixel = m_axis->coordToPixel(v);
            m_bits = bits;
            m_valid = true;
        }
        return m_pixel;
    }

private:
    const QCPAxis *m_axis;
    std::uint64_t m_bits = 0;
    double m_pixel = 0.0;
    bool m_valid = false;
};

} // namespace

FigureLayout::FigureLayout(QCustomPlot *plot)
    : QObject(plot)
    , m_plot(plot)
    , m_pixels(std::make_unique<PixelCache>())
{
    connect(plot, &QCustomPlot::afterLayout, this, &FigureLayout::place);
}

FigureLayout::~FigureLayout() = default;

QVector<FigureLayout::Spot> FigureLayout::around(double x, double y, double gap)
{
    const double d = gap * 0.7;
    return {
        {x, y, Qt::AlignLeft | Qt::AlignVCenter, {gap, 0}},
        {x, y, Qt::AlignRight | Qt::AlignVCenter, {-gap, 0}},
        {x, y, Qt::AlignLeft | Qt::AlignBottom, {d, -d}},
        {x, y, Qt::AlignLeft | Qt::AlignTop, {d, d}},
        {x, y, Qt::AlignRight | Qt::AlignBottom, {-d, -d}},
        {x, y, Qt::AlignRight | Qt::AlignTop, {-d, d}},
        {x, y, Qt::AlignHCenter | Qt::AlignBottom, {0, -gap}},
        {x, y, Qt::AlignHCenter | Qt::AlignTop, {0, gap}},
    };
}

void FigureLayout::clear()
{
    m_labels.clear();
    m_fixed.clear();
    m_captionText.clear();
    m_hidden.clear();
}

bool FigureLayout::resetAdjustments()
{
    const bool any = !m_paddings.isEmpty() || !m_margins.isEmpty() || !m_tickCounts.isEmpty();
    for (auto it = m_paddings.begin(); it != m_paddings.end(); ++it)
        it.key()->setTickLabelPadding(it.value());
    m_paddings.clear();
    for (auto it = m_margins.begin(); it != m_margins.end(); ++it)
        it.key()->setMinimumMargins(it.value());
    m_margins.clear();
    for (auto it = m_tickCounts.begin(); it != m_tickCounts.end(); ++it)
        if (auto log = it.key()->ticker().dynamicCast<QCPAxisTickerLog>())
            log->setTickCount(it.value());
    m_tickCounts.clear();
    return any;
}

void FigureLayout::addLabel(QCPItemText *item, const QVector<Spot> &spots, bool keep, const QString &captionText)
{
    Label l;
    l.captionText = captionText;
    l.item = item;
    l.spots = spots;
    l.keep = keep;
    l.key = item->position->keyAxis();
    l.value = item->position->valueAxis();
    l.rect = item->clipAxisRect() ? item->clipAxisRect() : m_plot->axisRect();
    item->setClipToAxisRect(false);  // placed inside its rect: never cut
    m_labels << l;
}

void FigureLayout::addPointLabel(QCPItemText *item, double x, double y, double gap, const QString &captionText)
{
    addLabel(item, around(x, y, gap) + around(x, y, gap * 2.0) + around(x, y, gap * 3.0), false, captionText);
    m_labels.back().clear = true;
    // The names go first: on a busy figure a point's name matters more than a region's or a roof's.
    const auto last = m_labels.end() - 1;
    std::rotate(std::find_if(m_labels.begin(), last, [](const Label &l) { return !l.clear; }), last, m_labels.end());
}

void FigureLayout::addLegend(QCPLegend *legend, QCPAxisRect *rect, bool outside)
{
    for (const Legend &l : m_legends)
        if (l.legend == legend)
            return;
    Legend l;
    l.legend = legend;
    l.rect = rect;
    l.alwaysOutside = outside;
    l.fillOrder = int(legend->fillOrder());
    l.wrap = legend->wrap();
    m_legends << l;
}

void FigureLayout::setAxisTitles(QCPAxis *axis, const QString &full, const QString &brief)
{
    for (AxisTitles &t : m_titles)
        if (t.axis == axis) {
            t.full = full;
            t.brief = brief;
            return;
        }
    m_titles << AxisTitles{axis, full, brief};
}

void FigureLayout::addFixedText(QCPItemText *item)
{
    m_fixed << item;
}

QVector<QCPItemText *> FigureLayout::hiddenLabels() const
{
    return m_hidden;
}

bool FigureLayout::isLegendOutside(const QCPLegend *legend) const
{
    for (const Legend &l : m_legends)
        if (l.legend == legend)
            return l.outside;
    return false;
}

void FigureLayout::restoreLegends()
{
    for (Legend &l : m_legends) {
        moveLegendInside(l);
        l.decided = false;
    }
    m_size = QSize();  // decide again at the next pass
}

void FigureLayout::place()
{
    if (m_placing)
        return;
    m_placing = true;
    // At a new size (a resize, an export) the pass starts again from the views' own layout;
    // otherwise (a slider moves) it keeps its legends and margins and only moves what must move,
    // so that most passes need no second layout.
    const QSize size = m_plot->viewport().size();
    if (size != m_size) {
        m_size = size;
        bool moved = resetAdjustments();
        for (Legend &l : m_legends) {
            moved = moved || l.outside;
            moveLegendInside(l);
            l.decided = false;
        }
        if (moved)
            relayout();
    }
    for (int i = 0; i < 3 && fixMargins(); ++i)
        relayout();
    Geometry g = collect(legendsToPlace());
    if (placeLegends(g)) {
        relayout();
        if (fixMargins())
            relayout();
        g = collect(false);
    }
    fitAxisTitles();
    placeLabels(g, false);
    // A caption that grows or shrinks moves the axis rect: place the labels again. What went to the
    // caption stays there for this pass, so the caption names exactly the hidden labels and the
    // loop ends.
    for (int i = 0; i < 3 && updateCaption(); ++i) {
        relayout();
        placeLabels(collect(false), true);
    }
    if (updateCaption())
        relayout();
    m_placing = false;
}

void FigureLayout::setCaption(QCPTextElement *caption, const QString &text)
{
    m_caption = caption;
    m_captionText = text;  // set by the pass, wrapped, after the labels are placed
}

bool FigureLayout::updateCaption()
{
    if (!m_caption)
        return false;
    QStringList parts = m_captionText.split(QStringLiteral(" · "));
    for (const QCPItemText *h : m_hidden)
        for (const Label &l : m_labels)
            if (l.item == h && !l.captionText.isEmpty())
                parts << l.captionText;
    // Greedy wrap at the " · " separators to the caption's width: the figure's, or its column's where
    // the grid has more than one (the scheme map's colour bar).
    const int cell = m_caption->outerRect().width();
    const int width = std::min(m_plot->viewport().width(), cell > 0 ? cell : std::numeric_limits<int>::max()) - 8;
    const QFont font = m_caption->font();
    // The same parts, width and font wrap to the same text: most passes of a drag (and the check
    // after the last placing of each pass) ask again for the last one.
    const QScreen *screen = QGuiApplication::primaryScreen();
    const qreal dpi = screen ? screen->logicalDotsPerInchY() : 0.0;  // what viewutil measures for
    if (m_wrapped && m_wrapped->parts == parts && m_wrapped->width == width && m_wrapped->dpi == dpi && m_wrapped->font == font)
        return commitCaption(m_wrapped->text);
    const auto fits = [&](const QString &s) { return viewutil::textAdvance(font, s) <= width; };
    QStringList lines{QString()};
    for (const QString &part : parts) {
        const QStringList pieces = part.split(QLatin1Char('\n'));
        for (int k = 0; k < pieces.size(); ++k) {
            if (k > 0)
                lines << QString();  // a line break the view asked for
            if (!fits(pieces[k])) {
                // Wider than the figure on its own (a narrow dock): it starts a line and wraps at its
                // spaces; a single word still too wide is elided, never drawn past the edges.
                if (!lines.back().isEmpty())
                    lines << QString();
                for (const QString &word : pieces[k].split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
                    const QString w = fits(word) ? word : QFontMetrics(font).elidedText(word, Qt::ElideRight, width);
                    if (lines.back().isEmpty())
                        lines.back() = w;
                    else if (fits(lines.back() + QLatin1Char(' ') + w))
                        lines.back() += QLatin1Char(' ') + w;
                    else
                        lines << w;
                }
            } else if (lines.back().isEmpty()) {
                lines.back() = pieces[k];
            } else if (fits(lines.back() + QStringLiteral(" · ") + pieces[k])) {
                lines.back() += QStringLiteral(" · ") + pieces[k];
            } else {
                lines << pieces[k];
            }
        }
    }
    const QString text = lines.join(QLatin1Char('\n'));
    m_wrapped = WrappedCaption{parts, width, dpi, font, text};
    return commitCaption(text);
}

bool FigureLayout::commitCaption(const QString &text)
{
    if (text == m_caption->text())
        return false;
    // Only a change in the number of lines moves the axis rect (the caption spans the figure).
    const bool taller = m_caption->text().count(QLatin1Char('\n')) != text.count(QLatin1Char('\n'));
    m_caption->setText(text);
    return taller;
}

void FigureLayout::relayout()
{
    QCPLayoutGrid *grid = m_plot->plotLayout();
    grid->update(QCPLayoutElement::upPreparation);
    grid->update(QCPLayoutElement::upMargins);
    grid->update(QCPLayoutElement::upLayout);
}

bool FigureLayout::legendsToPlace() const
{
    for (const Legend &l : m_legends)
        if (!(l.decided && l.outside) && !l.alwaysOutside && l.legend->visible() && l.legend->itemCount() > 0 && l.rect->visible())
            return true;
    return false;
}

FigureLayout::Geometry FigureLayout::collect(bool points) const
{
    // Only the legends look at the data points; without labels the lines, markers and bars go unused.
    Geometry g;
    if (!points && m_labels.isEmpty())
        return g;
    // Each graph's vertices are mapped once for its markers, points and lines.
    graphGeometry(m_plot, &g.markers, points ? &g.points : nullptr, &g.curves, m_pixels.get());
    tracerMarkers(m_plot, &g.markers);
    if (points)
        tracerPoints(m_plot, &g.points);
    g.lines = g.curves;  // all lines are the graphs' and the items' (in lineSegments()'s order)
    itemLines(m_plot, &g.lines);
    g.bars = barRects(m_plot);
    return g;
}

bool FigureLayout::placeLegends(const Geometry &g)
{
    bool changed = false;
    const QVector<QRectF> &markers = g.markers;
    const QVector<QPointF> &points = g.points;
    const QVector<QLineF> &lines = g.lines;
    const QVector<QRectF> &bars = g.bars;
    for (Legend &l : m_legends) {
        if ((l.decided && l.outside) || !l.legend->visible() || l.legend->itemCount() == 0 || !l.rect->visible())
            continue;
        QCPLayoutInset *inset = l.rect->insetLayout();
        int index = -1;
        for (int i = 0; i < inset->elementCount(); ++i)
            if (inset->elementAt(i) == l.legend)
                index = i;
        if (index < 0)
            continue;
        l.decided = true;
        if (l.alwaysOutside) {
            moveLegendOutside(l);
            changed = true;
            continue;
        }
        const QRectF area = inset->rect();  // the inset layout keeps a margin inside the axis rect
        const QSizeF size = l.legend->outerRect().size();
        const Qt::Alignment current = inset->insetAlignment(index);
        const QVector<Qt::Alignment> corners{current, Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft,
                                             Qt::AlignBottom | Qt::AlignRight, Qt::AlignBottom | Qt::AlignLeft};
        int bestCost = std::numeric_limits<int>::max();
        Qt::Alignment best = current;
        for (Qt::Alignment a : corners) {
            if (a == current && bestCost == 0)
                continue;
            const double x = a.testFlag(Qt::AlignLeft) ? area.left() : area.right() - size.width();
            const double y = a.testFlag(Qt::AlignTop) ? area.top() : area.bottom() - size.height();
            const QRectF r = QRectF(QPointF(x, y), size).adjusted(-2, -2, 2, 2);
            int cost = 0;
            for (const QPointF &p : points)
                cost += r.contains(p) ? 4 : 0;
            for (const QRectF &m : markers)
                cost += r.intersects(m) ? 4 : 0;
            for (const QRectF &b : bars)
                cost += r.intersects(b) ? 4 : 0;
            for (const QLineF &s : lines)
                cost += intersects(s, r) ? 1 : 0;
            if (cost < bestCost) {
                bestCost = cost;
                best = a;
            }
            if (cost == 0)
                break;  // the first free corner, the current one first: no jumping while a slider moves
        }
        if (bestCost > 0) {
            moveLegendOutside(l);
            changed = true;
        } else if (best != current) {
            inset->setInsetAlignment(index, best);
            changed = true;
        }
    }
    return changed;
}

void FigureLayout::moveLegendOutside(Legend &l)
{
    if (l.outside)
        return;
    QCPLayoutGrid *grid = m_plot->plotLayout();
    int row = -1, col = -1;
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c)
            if (grid->hasElement(r, c) && grid->element(r, c) == l.rect) {
                row = r;
                col = c;
            }
    if (row < 0)
        return;
    l.rect->insetLayout()->take(l.legend);
    l.alignment = Qt::AlignTop | Qt::AlignRight;
    grid->insertRow(row + 1);
    grid->addElement(row + 1, col, l.legend);
    // Entries flow in as many columns as the rect is wide; the row is only as tall as they need.
    int widest = 1;
    for (int i = 0; i < l.legend->itemCount(); ++i)
        widest = std::max(widest, l.legend->item(i)->minimumOuterSizeHint().width() + l.legend->columnSpacing());
    const int width = std::max(widest, l.rect->outerRect().width());
    l.legend->setWrap(std::max(1, std::min(l.legend->itemCount(), width / widest)));
    l.legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    l.legend->setMaximumSize(QWIDGETSIZE_MAX, l.legend->minimumOuterSizeHint().height());
    l.pen = l.legend->borderPen();
    l.legend->setBorderPen(Qt::NoPen);
    l.outside = true;
}

void FigureLayout::moveLegendInside(Legend &l)
{
    if (!l.outside)
        return;
    QCPLayoutGrid *grid = m_plot->plotLayout();
    grid->take(l.legend);
    grid->simplify();
    l.legend->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    l.legend->setWrap(l.wrap);
    l.legend->setFillOrder(QCPLayoutGrid::FillOrder(l.fillOrder), true);
    l.legend->setBorderPen(l.pen);
    l.rect->insetLayout()->addElement(l.legend, l.alignment);
    l.outside = false;
}

bool FigureLayout::fixMargins()
{
    bool changed = false;
    // Font metrics are the cost: each axis is measured once a call, and not at all while it is
    // unchanged since the last pass (most axes during a drag).
    QHash<const QCPAxis *, QVector<QRectF>> cache;
    const auto ticks = [this, &cache](const QCPAxis *axis) -> const QVector<QRectF> & {
        auto it = cache.find(axis);
        if (it == cache.end())
            it = cache.insert(axis, m_pixels->tickLabels(axis));
        return *it;
    };
    const QRectF figure = m_plot->viewport();
    for (QCPAxisRect *rect : m_plot->axisRects()) {
        if (!rect->visible())
            continue;
        // Log axes too short for a label per decade label every second (third, ...) decade.
        for (QCPAxis *axis : rect->axes()) {
            auto log = axis->ticker().dynamicCast<QCPAxisTickerLog>();
            if (!log || !axis->visible() || !axis->tickLabels())
                continue;
            const QVector<QRectF> &r = ticks(axis);
            bool crowded = false;
            for (int i = 1; i < r.size() && !crowded; ++i)
                crowded = r[i].adjusted(-2, -2, 2, 2).intersects(r[i - 1]);
            if (crowded && log->tickCount() > 2) {
                if (!m_tickCounts.contains(axis))
                    m_tickCounts.insert(axis, log->tickCount());
                log->setTickCount(std::max(2, log->tickCount() / 2));
                changed = true;
            }
        }
        // The lowest x and y tick labels must not touch in the corner: the x labels move down.
        QCPAxis *x = rect->axis(QCPAxis::atBottom), *y = rect->axis(QCPAxis::atLeft);
        if (x && y) {
            const QVector<QRectF> &xs = ticks(x), &ys = ticks(y);
            double push = 0.0;
            for (const QRectF &a : xs)
                for (const QRectF &b : ys) {
                    const QRectF grown = b.adjusted(-2, -2, 2, 2);
                    if (a.intersects(grown))
                        push = std::max(push, grown.bottom() - a.top());
                }
            if (push > 0.0) {
                if (!m_paddings.contains(x))
                    m_paddings.insert(x, x->tickLabelPadding());
                x->setTickLabelPadding(x->tickLabelPadding() + int(std::ceil(push)));
                changed = true;
            }
        }
        // Tick labels at the ends of an axis stay inside the figure: the margin grows.
        int left = 0, right = 0, top = 0, bottom = 0;
        for (QCPAxis *axis : rect->axes())
            for (const QRectF &r : ticks(axis)) {
                left = std::max(left, int(std::ceil(figure.left() - r.left())));
                right = std::max(right, int(std::ceil(r.right() - figure.right())));
                top = std::max(top, int(std::ceil(figure.top() - r.top())));
                bottom = std::max(bottom, int(std::ceil(r.bottom() - figure.bottom())));
            }
        if (left > 0 || right > 0 || top > 0 || bottom > 0) {
            if (!m_margins.contains(rect))
                m_margins.insert(rect, rect->minimumMargins());
            const QMargins m = rect->margins();
            const QMargins old = rect->minimumMargins();
            const auto grow = [](int now, int by, int min) { return by > 0 ? now + by + 1 : min; };
            rect->setMinimumMargins(QMargins(grow(m.left(), left, old.left()), grow(m.top(), top, old.top()),
                                             grow(m.right(), right, old.right()), grow(m.bottom(), bottom, old.bottom())));
            changed = true;
        }
    }
    return changed;
}

void FigureLayout::fitAxisTitles()
{
    for (const AxisTitles &t : m_titles) {
        // QCustomPlot centres the title on the axis (the inner rect), not on the outer rect: with a
        // caption above or a tall margin below, the centre is off the figure's and one end of the
        // title reaches the edge first.
        const QRect outer = t.axis->axisRect()->outerRect();
        const QRect inner = t.axis->axisRect()->rect();
        const QRect figure = m_plot->viewport();
        const bool vertical = t.axis->orientation() == Qt::Vertical;
        const double centre = vertical ? inner.top() + inner.height() / 2.0 : inner.left() + inner.width() / 2.0;
        const double toEdge = vertical ? std::min(centre - figure.top(), figure.top() + figure.height() - centre)
                                       : std::min(centre - figure.left(), figure.left() + figure.width() - centre);
        const int room = std::min(vertical ? outer.height() : outer.width(), int(std::floor(2.0 * toEdge)));
        const int need = viewutil::textBounds(t.axis->labelFont(), Qt::TextDontClip | Qt::AlignCenter, t.full).width();
        t.axis->setLabel(need + 4 <= room || t.brief.isEmpty() ? t.full : t.brief);
    }
}

void FigureLayout::placeLabels(const Geometry &g, bool keepHidden)
{
    const QVector<QCPItemText *> before = keepHidden ? m_hidden : QVector<QCPItemText *>();
    m_hidden.clear();
    QVector<QRectF> hard = g.markers;
    hard += g.bars;
    const QVector<QLineF> &lines = g.lines;
    for (const Legend &l : m_legends)
        if (l.legend->visible() && l.legend->itemCount() > 0)
            hard << QRectF(l.legend->outerRect());
    for (QCPItemText *t : m_fixed)
        if (t->visible() && !t->text().isEmpty())
            hard << textBox(t);
    for (Label &l : m_labels) {
        if (before.contains(l.item)) {
            l.item->setVisible(false);
            m_hidden << l.item;
            continue;
        }
        const QSizeF size = textSize(l.item);
        const QRectF area = QRectF(l.rect->rect()).adjusted(1, 1, -1, -1);
        // Every spot's box first, then only the obstacles near one of them are tested: an obstacle
        // clear of the span of all the boxes covers none of them (the counts are those of testing all).
        struct Candidate {
            QRectF box;
            QPointF anchor;
            Qt::Alignment align;
        };
        QVarLengthArray<Candidate, 32> candidates;
        Reach reach;
        PixelMemo keyPixels(l.key), valuePixels(l.value);  // the spots around a point share its anchor
        for (const Spot &s : l.spots) {
            const double px = s.xRatio ? area.left() + s.x * area.width() : keyPixels(s.x);
            const double py = s.yRatio ? area.top() + s.y * area.height() : valuePixels(s.y);
            if (!std::isfinite(px) || !std::isfinite(py))
                continue;
            const QPointF anchor = QPointF(px, py) + s.offset;
            const QRectF box = alignedBox(anchor, size, s.align);
            reach.add(box.adjusted(-kLabelGap, -kLabelGap, kLabelGap, kLabelGap));
            candidates.append({box, anchor, s.align});
        }
        QVarLengthArray<const QRectF *, 64> nearHard;
        for (const QRectF &h : hard)
            if (reach.meets(h))
                nearHard.append(&h);
        QVarLengthArray<const QLineF *, 64> nearLines, nearCurves;
        if (!candidates.isEmpty()) {
            for (const QLineF &seg : lines)
                if (reach.meets(seg))
                    nearLines.append(&seg);
            if (l.clear)
                for (const QLineF &seg : g.curves)
                    if (reach.meets(seg))
                        nearCurves.append(&seg);
        }
        int bestSoft = std::numeric_limits<int>::max();
        int bestCurves = std::numeric_limits<int>::max();  // for a point's name: crossings by a graph's line
        double bestHard = std::numeric_limits<double>::infinity();
        QRectF chosen;
        QPointF chosenAnchor;
        Qt::Alignment chosenAlign;
        for (const Candidate &c : candidates) {
            const QRectF &box = c.box;
            const QRectF padded = box.adjusted(-kLabelGap, -kLabelGap, kLabelGap, kLabelGap);
            Reach near, nearPadded;  // the same tests again, per box, before the exact ones
            near.add(box);
            nearPadded.add(padded);
            double cover = area.contains(box) ? 0.0 : 1e9;
            for (const QRectF *h : nearHard)
                if (nearPadded.meets(*h))
                    cover += overlapArea(padded, *h);
            int soft = 0, curves = 0;
            for (const QLineF *seg : nearLines)
                soft += near.meets(*seg) && intersects(*seg, box) ? 1 : 0;
            for (const QLineF *seg : nearCurves)
                curves += near.meets(*seg) && intersects(*seg, box) ? 1 : 0;
            if (cover < bestHard || (cover == bestHard && (curves < bestCurves || (curves == bestCurves && soft < bestSoft)))) {
                bestHard = cover;
                bestCurves = curves;
                bestSoft = soft;
                chosen = box;
                chosenAnchor = c.anchor;
                chosenAlign = c.align;
            }
            if (cover == 0.0 && soft == 0)
                break;
        }
        // A label no line can avoid is hidden too, unless the figure needs it; a point's name is
        // never drawn across a roof or curve (a guide line, such as a ridge's drop line, it may cross).
        const bool show = !chosen.isNull()
                          && (l.clear ? bestHard == 0.0 && bestCurves == 0
                                      : (bestHard == 0.0 && (bestSoft == 0 || l.keep)) || (l.keep && bestHard < 1e9));
        l.item->setVisible(show);
        if (!show) {
            m_hidden << l.item;
            continue;
        }
        l.item->setPositionAlignment(chosenAlign);
        l.item->position->setPixelPosition(chosenAnchor);
        hard << chosen;
    }
}

} // namespace mlastudio::ui
