// SPDX-License-Identifier: MIT
// The views' axis painter: QCustomPlot's, with the work that a replot repeats unchanged cached
// (private to ui/views).
#pragma once

#include <qcustomplot.h>

#include <QByteArray>
#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>

namespace mlastudio::ui {

/**
 * QCustomPlot's axis painter (QCPAxisPainterPrivate) that, on screen, draws the axis title from the
 * text cache (cachedtext) instead of shaping it again at every replot, measures the title once per
 * font and text, and builds the tick labels' parameter key only when a parameter changed. Exports
 * (QCPPainter::pmNoCaching or pmVectorized) draw exactly as QCustomPlot's own painter.
 */
class AxisPainter : public QCPAxisPainterPrivate
{
public:
    explicit AxisPainter(QCustomPlot *plot);

    /** Puts an AxisPainter in place of \p axis's own painter, with all of its settings; an axis that
     *  has one already keeps it. \return the axis's painter. */
    static AxisPainter *install(QCPAxis *axis);

    /** Copies the settings QCPAxis feeds to its painter (the public fields) from \p from to \p to. */
    static void copySettings(const QCPAxisPainterPrivate &from, QCPAxisPainterPrivate &to);

    void draw(QCPPainter *painter) override;
    int size() override;

protected:
    /** The key QCPAxisPainterPrivate builds (the tick-label cache is cleared when it changes), built
     *  again only when one of its parameters differs from the last call's. */
    QByteArray generateLabelParameterHash() const override;

private:
    /** The title's height as QCPAxisPainterPrivate::draw measures it, with the painter's font. */
    int titleHeight(QCPPainter *painter);

    struct LabelParameters {
        double pixelRatio = 0;
        double rotation = 0;
        QCPAxis::LabelSide side = QCPAxis::lsOutside;
        bool substituteExponent = false;
        bool multiplyCross = false;
        QColor color;
        QFont font;
        bool operator==(const LabelParameters &o) const
        {
            return pixelRatio == o.pixelRatio && rotation == o.rotation && side == o.side
                && substituteExponent == o.substituteExponent && multiplyCross == o.multiplyCross && color == o.color
                && font == o.font;
        }
    };
    mutable LabelParameters m_keyParameters;
    mutable QByteArray m_key;
    mutable bool m_keyValid = false;

    // The title's measured heights: one for the painter's font at a resolution (draw), one for the
    // label font itself (size, as QCustomPlot measures the margin).
    QFont m_drawnTitleFont;
    QString m_drawnTitle;
    int m_drawnTitleDpi = 0;
    int m_drawnTitleHeight = -1;
    QFont m_sizedTitleFont;
    QString m_sizedTitle;
    int m_sizedTitleHeight = -1;
};

} // namespace mlastudio::ui
