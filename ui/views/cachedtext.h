// SPDX-License-Identifier: MIT
// Text that the views draw on screen from a cache of rendered images (private to ui/views).
#pragma once

#include <qcustomplot.h>

#include <QRect>
#include <QString>

namespace mlastudio::ui::cachedtext {

/**
 * Draws \p text as QPainter::drawText(rect, flags, text, bounds) does, with the painter's font, pen
 * colour and text antialiasing. On screen, a text drawn a second time (same font, text, flags, size of
 * \p rect, colour, resolution) is rendered into an image, and from then on copied from it instead of
 * being shaped and laid out again, which is most of a replot's cost. A text drawn once (a label showing
 * a value that changes at every move) is drawn directly. Exports (QCPPainter::pmNoCaching or pmVectorized) and rotated or
 * scaled painters draw the text directly, so every exported figure is unchanged.
 */
void drawText(QCPPainter *painter, const QRect &rect, int flags, const QString &text, QRect *bounds = nullptr);

/**
 * Draws \p text as QPainter::drawText(rect, flags, text) does after painter->translate(\p origin) and
 * painter->rotate(90 × \p quarterTurns), as QCustomPlot turns the titles of vertical axes, and cached as
 * drawText() caches: a quarter turn and a whole-pixel shift keep every pixel. \p quarterTurns is -1, 0
 * or 1; the painter itself is left unturned.
 */
void drawTurnedText(QCPPainter *painter, const QPointF &origin, int quarterTurns, const QRect &rect, int flags, const QString &text);

/** \return true where drawText() copies from its cache: on screen, under a plain translation. Exports
 *  return false, and their items then draw exactly as QCustomPlot's own. */
bool isCached(const QCPPainter *painter);

/** \return the number of rendered texts held, and drops them all when \p clear (tests). */
int cachedCount(bool clear = false);

/** A QCPItemText drawn through drawText(); measured with viewutil::textBounds(). */
class ItemText : public QCPItemText
{
public:
    explicit ItemText(QCustomPlot *plot)
        : QCPItemText(plot)
    {
    }

protected:
    void draw(QCPPainter *painter) override;
};

/** A QCPTextElement drawn through drawText(); measured with viewutil::textBounds(). */
class TextElement : public QCPTextElement
{
public:
    TextElement(QCustomPlot *plot, const QString &text)
        : QCPTextElement(plot, text)
    {
    }

protected:
    void draw(QCPPainter *painter) override;
    QSize minimumOuterSizeHint() const override;
    QSize maximumOuterSizeHint() const override;
};

} // namespace mlastudio::ui::cachedtext
