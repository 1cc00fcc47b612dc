// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

namespace mlastudio::ui {

/** The energy view. */
class EnergyView : public PlotView
{
    Q_OBJECT

public:
    explicit EnergyView(Scenario *scenario, QWidget *parent = nullptr);
    ~EnergyView() override;

    QString viewId() const override { return QStringLiteral("energy"); }
    QString title() const override { return tr("Energy"); }

protected:
    void rebuild() override;
};

} // namespace mlastudio::ui
