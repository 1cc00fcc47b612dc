// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

namespace mlastudio::ui {

/** The memory view. */
class MemoryView : public PlotView
{
    Q_OBJECT

public:
    explicit MemoryView(Scenario *scenario, QWidget *parent = nullptr);
    ~MemoryView() override;

    QString viewId() const override { return QStringLiteral("memory"); }
    QString title() const override { return tr("Memory"); }

protected:
    void rebuild() override;
};

} // namespace mlastudio::ui
