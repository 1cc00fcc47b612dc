// SPDX-License-Identifier: MIT
#include "views/screenplot.h"

#include <QPaintEvent>

#include <algorithm>

namespace mlastudio::ui {

/** The background, drawn first into the screen buffer (the bottom of the lowest layer). */
class ScreenPlot::Background final : public QCPLayerable
{
public:
    explicit Background(ScreenPlot *plot)
        : QCPLayerable(plot)
        , m_plot(plot)
    {
        moveToLayer(plot->layer(0), true);
    }

protected:
    void applyDefaultAntialiasingHint(QCPPainter *) const override {}
    void draw(QCPPainter *painter) override
    {
        // Exports fill their own background (or none, for a transparent figure).
        if (painter->modes().testFlag(QCPPainter::pmNoCaching) || painter->modes().testFlag(QCPPainter::pmVectorized))
            return;
        // Every pixel of the viewport, whatever half-pixel shift QCPPainter's antialiasing state has
        // left, and without QCPLayer::draw's clip, which it moves up by a pixel (it restores the
        // painter afterwards).
        painter->resetTransform();
        painter->setClipping(false);
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->fillRect(mParentPlot->viewport(), m_plot->mBackgroundBrush);
        m_plot->m_filled = true;
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
    // A child of the plot, like QCustomPlot's own layerables. Shown only during a replot, so an
    // export, which draws the layers without a replot, does not even see it (an SVG would get an
    // empty group for it).
    m_background = new Background(this);
    m_background->setVisible(false);
    connect(this, &QCustomPlot::beforeReplot, this, [this] {
        m_filled = false;
        m_background->setVisible(opaqueFrame());
    });
    connect(this, &QCustomPlot::afterReplot, this, [this] { m_background->setVisible(false); });
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
    if (!m_filled || !opaqueFrame() || mPaintBuffers.size() != 1
        || !qFuzzyCompare(bufferDevicePixelRatio(), devicePixelRatioF())) {
        QCustomPlot::paintEvent(event);
        return;
    }
    QCPPainter painter(this);
    if (!painter.isActive())
        return;
    // The buffer covers the viewport with opaque pixels: a copy, not a blend over a filled background.
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    mPaintBuffers.front()->draw(&painter);
    m_copied = true;
}

} // namespace mlastudio::ui
