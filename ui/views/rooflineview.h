// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include <QVector>

class QCheckBox;
class QCPItemText;
class QCPTextElement;
class QMouseEvent;

namespace mlastudio::ui {

/** The roofline view. */
class RooflineView : public PlotView
{
    Q_OBJECT

public:
    explicit RooflineView(Scenario *scenario, QWidget *parent = nullptr);
    ~RooflineView() override;

    QString viewId() const override { return QStringLiteral("roofline"); }
    QString title() const override { return tr("Roofline"); }
    /** The "Operators" check box (ViewSettings::showOperators, through the scenario). */
    QCheckBox *operatorsBox() const { return m_operatorsBox; }

protected:
    void rebuild() override;

private:
    /** The roofs, ridges and axis ranges of one rebuild. */
    struct Frame {
        double bw = 0.0, sramBw = 0.0, peak16 = 0.0, peak8 = 0.0, peakMax = 0.0;
        double ridge16 = 0.0, ridge8 = 0.0, ridgeS = 0.0;
        double xLo = 0.0, xHi = 0.0, yLo = 0.0, yHi = 0.0;
        double sramStart = 0.0;  //!< where the on-chip roof enters the plot
    };
    Frame computeFrame() const;
    void drawRegions(const Frame &f);
    void drawRoofs(const Frame &f);
    void labelRoofs(const Frame &f);
    void drawReference(const Frame &f);
    void drawOperatingPoints(const Frame &f);
    void drawMeasured();
    QCPItemText *addText(const QString &text, const QColor &color, const QFont &font);

    struct HoverPoint {
        double x = 0.0;
        double y = 0.0;
        QString text;
    };
    void onMouseMove(QMouseEvent *event);

    QVector<HoverPoint> m_hover;
    QCPTextElement *m_caption = nullptr;
    QCheckBox *m_operatorsBox = nullptr;
};

} // namespace mlastudio::ui
