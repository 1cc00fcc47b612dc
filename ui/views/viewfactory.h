// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace mlastudio::ui {

class PlotView;
class Scenario;

/** \return the ids of the views that render figures: roofline, throughput, energy, scheme-map, memory,
 *  validation, platforms. */
QStringList plotViewIds();

/** \return a new plot view for an id, or nullptr for an unknown id. The GUI and the command line
 *  both build their views here, so a headless export draws exactly what the window shows. */
PlotView *createPlotView(const QString &viewId, Scenario *scenario, QWidget *parent = nullptr);

} // namespace mlastudio::ui
