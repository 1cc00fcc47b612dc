// SPDX-License-Identifier: MIT
#include "views/screenplot.h"

#include <QPaintEvent>

#include <algorithm>

namespace mlastudio::ui {

/** QCustomPlot's pixmap buffer, cleared at each replot to the figure's background instead of to
 *  transparent where that background is opaque: the same pixels once painted, in one pass less. */
class ScreenPlot::Buffer final : public QCPPaintBufferPixmap
{
public:
    Buffer(ScreenPlot *plot)
        : QCPPaintBufferPixmap(plot->viewport().size(), plot->bufferDevicePixelRatio())
        , m_plot(plot)
    {
    }

    void clear(const QColor &color) override
    {
        // QCustomPlot's format, premultiplied ARGB (a new pixmap may be RGB32, where Qt would draw
        // text with other glyphs): transparent first, once per new buffer, as QCustomPlot's clear does.
        if (!mBuffer.hasAlphaChannel())
            mBuffer.fill(Qt::transparent);
        const bool opaque = m_plot->opaqueFrame();
        QCPPaintBufferPixmap::clear(opaque ? m_plot->mBackgroundBrush.color() : color);
        m_plot->m_filled = opaque;
    }

private:
    ScreenPlot *m_plot;
};

ScreenPlot::ScreenPlot(QWidget *parent)
    : QCustomPlot(parent)
{
    // QCustomPlot buffers its "overlay" layer apart (for quick overlay-only replots, which no view
    // does): every paint then blends a second, empty, window-sized pixmap. One buffer paints the
    // same pixels, and can be opaque; exports draw the layers directly and are unaffected.
    if (QCPLayer *overlay = layer(QStringLiteral("overlay")))
        overlay->setMode(QCPLayer::lmLogical);
    // QCustomPlot creates its buffers at the first replot, and keeps the ones it finds: this one is
    // the first, the one every logical layer draws into.
    mPaintBuffers.append(QSharedPointer<QCPAbstractPaintBuffer>(new Buffer(this)));
    // An axis rect filled with the figure's own background fills what the clear has just filled: on
    // screen it goes without, for the replot (exports, which draw without one, keep it).
    connect(this, &QCustomPlot::beforeReplot, this, [this] {
        m_unfilled.clear();
        if (!opaqueFrame())
            return;
        for (QCPAxisRect *rect : axisRects())
            if (rect->background().isNull() && rect->backgroundBrush() == mBackgroundBrush) {
                m_unfilled << rect;
                rect->setBackground(Qt::NoBrush);
            }
    });
    connect(this, &QCustomPlot::afterReplot, this, [this] {
        for (QCPAxisRect *rect : std::as_const(m_unfilled))
            if (rect)
                rect->setBackground(mBackgroundBrush);
        m_unfilled.clear();
    });
}

bool ScreenPlot::opaqueFrame() const
{
    // One paint buffer: every layer logical (a buffered layer gets a transparent buffer of its own).
    return mBackgroundBrush.style() == Qt::SolidPattern && mBackgroundBrush.color().alpha() == 255
        && mBackgroundPixmap.isNull()
        && std::all_of(mLayers.begin(), mLayers.end(), [](const QCPLayer *l) { return l->mode() == QCPLayer::lmLogical; });
}

void ScreenPlot::paintEvent(QPaintEvent *event)
{
    // As QCustomPlot::paintEvent(): a new device pixel ratio first gets new buffers (it replots).
    m_copied = false;
    // m_filled: the last replot found every layer logical, so there is one buffer and it is opaque.
    if (!m_filled || !opaqueFrame() || !qFuzzyCompare(bufferDevicePixelRatio(), devicePixelRatioF())) {
        QCustomPlot::paintEvent(event);
        return;
    }
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    // The buffer covers the viewport with opaque pixels: no background to fill beneath it. Drawn
    // over (not as CompositionMode_Source, which Qt copies on its thread pool: on few cores the
    // hand-over costs more than the copy), every pixel opaque.
    mPaintBuffers.front()->draw(&painter);
    m_copied = true;
}

} // namespace mlastudio::ui
