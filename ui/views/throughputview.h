// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

namespace mlastudio::ui {

/** The throughput view. */
class ThroughputView : public PlotView
{
    Q_OBJECT

public:
    explicit ThroughputView(Scenario *scenario, QWidget *parent = nullptr);
    ~ThroughputView() override;

    QString viewId() const override { return QStringLiteral("throughput"); }
    QString title() const override { return tr("Throughput"); }

protected:
    void rebuild() override;
};

} // namespace mlastudio::ui
