// SPDX-License-Identifier: MIT
// The views' QCustomPlot, which copies its finished frame to the screen instead of blending it.
#pragma once

#include <qcustomplot.h>

namespace mlastudio::ui {

/**
 * A QCustomPlot whose on-screen frame is opaque. QCustomPlot renders into a transparent buffer and
 * blends it over its background at every paint: a per-pixel blend of the whole plot, a tenth of a
 * slider move's cost with seven plots shown. Here the buffer's first layer is filled with the
 * background colour, so the buffer is opaque and a paint copies it (CompositionMode_Source).
 * Only for an opaque, solid background, no background pixmap and one paint buffer (the "overlay"
 * layer, buffered apart by QCustomPlot, is made logical here); otherwise, and in exports
 * (QCPPainter::pmNoCaching or pmVectorized, which draw no fill), QCustomPlot paints as it does.
 */
class ScreenPlot : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ScreenPlot(QWidget *parent = nullptr);

    /** \return true if the last paint copied the opaque buffer (tests). */
    bool copiedLastPaint() const { return m_copied; }
    /** \return true if a replot fills the buffer with the background (the conditions above). */
    bool opaqueFrame() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    class Background;
    friend class Background;
    QCPLayerable *m_background = nullptr;
    bool m_filled = false;  //!< the last replot filled the buffer with the background
    bool m_copied = false;
};

} // namespace mlastudio::ui
