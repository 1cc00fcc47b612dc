// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include <QVector>

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

protected:
    void rebuild() override;

private:
    struct HoverPoint {
        double x = 0.0;
        double y = 0.0;
        QString text;
    };
    void onMouseMove(QMouseEvent *event);

    QVector<HoverPoint> m_hover;
    QCPTextElement *m_caption = nullptr;
};

} // namespace mlastudio::ui
