// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

namespace mlastudio::ui {

/** The scheme map view. */
class SchemeMapView : public PlotView
{
    Q_OBJECT

public:
    explicit SchemeMapView(Scenario *scenario, QWidget *parent = nullptr);
    ~SchemeMapView() override;

    QString viewId() const override { return QStringLiteral("scheme-map"); }
    QString title() const override { return tr("Scheme map"); }

protected:
    void rebuild() override;
};

} // namespace mlastudio::ui
