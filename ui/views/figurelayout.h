// SPDX-License-Identifier: MIT
// The layout pass shared by the plot views (private to ui/views): legends where no data is, labels
// where they cover nothing, axis titles that fit. Everything is pixel math on what QCustomPlot laid out.
#pragma once

#include <QFont>
#include <QHash>
#include <QLineF>
#include <QMargins>
#include <QPen>
#include <QSize>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QVector>

#include <memory>
#include <optional>

class QCustomPlot;
class QCPAxis;
class QCPAxisRect;
class QCPItemText;
class QCPLegend;
class QCPTextElement;

namespace mlastudio::ui {

/** Pixel geometry of what a QCustomPlot draws, computed as its draw code does (after a layout). */
namespace figuregeometry {

/** The box a text item draws (text plus padding), unrotated, in viewport pixels. */
QRectF textBox(const QCPItemText *item);
/** The scatter markers of visible graphs and the visible tracers (one rect each, pen included). */
QVector<QRectF> markerRects(QCustomPlot *plot);
/** The data vertices of visible graphs with a line or marker, inside their axis rect. */
QVector<QPointF> dataPoints(QCustomPlot *plot);
/** Which lines lineSegments() returns: graphs' (curves and roofs), items' (guides such as a ridge's
 *  drop line, item and straight lines), or both, graphs' first. */
enum class Lines { All, Graphs, Items };
/** The line segments of visible graphs and of item and straight lines, clipped to their axis rect. */
QVector<QLineF> lineSegments(QCustomPlot *plot, Lines which = Lines::All);
/** The bars of visible QCPBars (stacks included). */
QVector<QRectF> barRects(QCustomPlot *plot);
/** The tick labels of a visible axis with tick labels. */
QVector<QRectF> tickLabelRects(const QCPAxis *axis);
/** The span of an axis' title: its rect, rotated with the axis. Empty if it has no label. */
QRectF axisTitleRect(const QCPAxis *axis);
/** \return true if the segment crosses or lies in the rect. */
bool intersects(const QLineF &segment, const QRectF &rect);

/** The graphs' pixels and the axes' tick label rects of the last layout pass, reused where what
 *  they were computed from did not change. */
class PixelCache;

} // namespace figuregeometry

/**
 * One layout pass per layout of the plot (QCustomPlot::afterLayout: every replot and export).
 * Views register, at rebuild, the labels they want and where they may go; the pass places the
 * legends first (the inset corner that covers no data, else below the axis rect), then each label
 * at its first spot that covers no other label, marker, bar or legend and stays inside its axis rect,
 * preferring spots that no line crosses. A label with no free spot is hidden; its view says the same
 * in a caption or the legend. Axis titles too long for their axis fall back to a short form.
 */
class FigureLayout : public QObject
{
    Q_OBJECT

public:
    /** A candidate place for a label: an anchor (plot coordinates of the label's position axes, or
     *  axis-rect ratios) plus an offset in pixels, and how the label aligns to it. */
    struct Spot {
        double x = 0.0;
        double y = 0.0;
        Qt::Alignment align = Qt::AlignLeft | Qt::AlignBottom;
        QPointF offset;          //!< pixels
        bool xRatio = false;     //!< x is an axis-rect ratio
        bool yRatio = false;     //!< y is an axis-rect ratio
    };

    explicit FigureLayout(QCustomPlot *plot);
    ~FigureLayout() override;

    /** Spots around a point, nearest first: right, left, above right, below right, above left,
     *  below left, above, below (\p gap pixels from the point). */
    static QVector<Spot> around(double x, double y, double gap);

    /** Forgets every label (views call it at rebuild; legends and margins stay until the size changes). */
    void clear();
    /** Places \p item at the first free spot of \p spots. \p keep: still shown (at the least covered
     *  spot) when no spot is free; only for labels the figure cannot do without. \p captionText:
     *  what the caption says instead when the label is hidden (empty: nothing). */
    void addLabel(QCPItemText *item, const QVector<Spot> &spots, bool keep = false, const QString &captionText = {});
    /** A point's own name (presentation mode's direct labels): placed before every other label, at
     *  the first spot around (\p x, \p y) in rings of \p gap, 2 × and 3 × \p gap that covers no
     *  label, marker, bar or legend and that no graph's line (a roof, a curve) crosses, preferring
     *  spots clear of guide lines too; else hidden, and \p captionText (the name with the point's
     *  values) goes to the caption. */
    void addPointLabel(QCPItemText *item, double x, double y, double gap, const QString &captionText);
    /** The caption element and its text; the pass wraps it to the figure's width and appends the
     *  caption texts of hidden labels. */
    void setCaption(QCPTextElement *caption, const QString &text);
    /** Manages \p legend, an inset element of \p rect: the corner that covers no data, else a row
     *  below the rect; always below with \p outside (a rect filled with data, like a map). */
    void addLegend(QCPLegend *legend, QCPAxisRect *rect, bool outside = false);
    /** A long and a short title for \p axis; the short one is used when the long one does not fit. */
    void setAxisTitles(QCPAxis *axis, const QString &full, const QString &brief);
    /** A text item the labels must avoid but that is not moved (e.g. a key line). */
    void addFixedText(QCPItemText *item);

    /** Runs the pass on the current layout (connected to afterLayout; views may call it). */
    void place();
    /** \return the labels hidden by the last pass. */
    QVector<QCPItemText *> hiddenLabels() const;
    /** \return true while \p legend sits below its axis rect. */
    bool isLegendOutside(const QCPLegend *legend) const;
    /** Moves the legends back into their axis rects (before the plot's grid is rearranged). */
    void restoreLegends();

private:
    struct Label {
        QCPItemText *item = nullptr;
        QVector<Spot> spots;
        bool keep = false;
        bool clear = false;  //!< a point's name: no graph's line may cross it either (addPointLabel)
        QString captionText;
        QCPAxis *key = nullptr;
        QCPAxis *value = nullptr;
        QCPAxisRect *rect = nullptr;
    };
    struct Legend {
        QCPLegend *legend = nullptr;
        QCPAxisRect *rect = nullptr;
        bool outside = false;
        bool decided = false;
        bool alwaysOutside = false;
        int fillOrder = 0;
        int wrap = 0;
        Qt::Alignment alignment = Qt::AlignTop | Qt::AlignRight;
        QPen pen;
    };
    struct AxisTitles {
        QCPAxis *axis = nullptr;
        QString full;
        QString brief;
    };
    /** What labels and legends must not cover, measured once per layout (points: for the legends only). */
    struct Geometry {
        QVector<QRectF> markers;
        QVector<QPointF> points;
        QVector<QLineF> lines;
        QVector<QRectF> bars;
        QVector<QLineF> curves;  //!< the lines of graphs only
    };
    /** \p points: with the data points too (only placeLegends() needs them). Empty where nothing
     *  would read it: no points asked for and no labels to place. */
    Geometry collect(bool points) const;
    /** \return true if placeLegends() will look at the data (a legend inside its rect, visible). */
    bool legendsToPlace() const;
    bool placeLegends(const Geometry &g);
    void moveLegendOutside(Legend &l);
    void moveLegendInside(Legend &l);
    /** \p keepHidden: the labels hidden by the last call stay hidden (the caption names them). */
    void placeLabels(const Geometry &g, bool keepHidden);
    void fitAxisTitles();
    bool fixMargins();
    bool resetAdjustments();
    void relayout();
    bool updateCaption();
    /** Sets the caption's wrapped text; \return true if its number of lines changed. */
    bool commitCaption(const QString &text);

    QCustomPlot *m_plot;
    QVector<Label> m_labels;
    QVector<Legend> m_legends;
    QVector<AxisTitles> m_titles;
    QVector<QCPItemText *> m_fixed;
    QVector<QCPItemText *> m_hidden;
    QCPTextElement *m_caption = nullptr;
    QString m_captionText;
    /** The last wrap of the caption and what it depended on. */
    struct WrappedCaption {
        QStringList parts;
        int width = 0;
        qreal dpi = 0.0;
        QFont font;
        QString text;
    };
    std::optional<WrappedCaption> m_wrapped;
    QHash<QCPAxis *, int> m_paddings;           //!< tick label paddings before fixMargins()
    QHash<QCPAxisRect *, QMargins> m_margins;   //!< minimum margins before fixMargins()
    QHash<QCPAxis *, int> m_tickCounts;         //!< log tick counts before fixMargins()
    QSize m_size;                               //!< viewport size of the last pass
    bool m_placing = false;
    std::unique_ptr<figuregeometry::PixelCache> m_pixels;  //!< mutable state of collect()
};

} // namespace mlastudio::ui
