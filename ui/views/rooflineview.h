// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

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
};

} // namespace mlastudio::ui
