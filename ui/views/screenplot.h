// SPDX-License-Identifier: MIT
// The views' QCustomPlot, whose screen buffer starts from the background instead of transparent.
#pragma once

#include <qcustomplot.h>

#include <QList>
#include <QPointer>

namespace mlastudio::ui {

/**
 * A QCustomPlot whose on-screen frame is opaque. QCustomPlot clears its buffer to transparent at each
 * replot, and at each paint fills the widget with the background and blends the buffer over it: two
 * passes over every pixel more than needed, with seven plots shown a large part of a slider move's
 * time (memory traffic more than instructions). Here the buffer is cleared to the background itself
 * and painted over the widget without a fill beneath it; axis rects filled with that same background
 * are not filled again in it. Only for an opaque, solid background, no
 * background pixmap and one paint buffer (the "overlay" layer, buffered apart by QCustomPlot, is made
 * logical here); otherwise QCustomPlot paints as it does. Exports draw the layers without the
 * buffer, so they are unchanged.
 */
class ScreenPlot : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ScreenPlot(QWidget *parent = nullptr);

    /** \return true if the last paint drew the opaque buffer alone, with no fill beneath (tests). */
    bool copiedLastPaint() const { return m_copied; }
    /** \return true if a replot clears the buffer to the background (the conditions above). */
    bool opaqueFrame() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    class Buffer;
    friend class Buffer;
    bool m_filled = false;  //!< the last replot cleared the buffer to the background
    QList<QPointer<QCPAxisRect>> m_unfilled;  //!< axis rects whose fill the replot leaves out
    bool m_copied = false;
};

} // namespace mlastudio::ui
