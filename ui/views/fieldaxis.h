// SPDX-License-Identifier: MIT
// Axes that show a core::Field in the unit of its slider (private to ui/views).
#pragma once

#include "mlastudio/core/fields.h"

#include <QString>

class QCPAxis;

namespace mlastudio::ui {

/**
 * Makes \p axis show the field in its display unit (FieldInfo::unit and displayScale) while the data
 * stay in SI units: on-chip memory ticks in MiB, bandwidth in GB/s, as on the sliders. Log axes get
 * decade ticks (10ⁿ of the display unit), linear ones plain numbers.
 */
void setFieldAxis(QCPAxis *axis, core::Field field, bool logScale);
/** \return the axis title of a field: its label, a short symbol and the unit, e.g. "KV length L (tokens)". */
QString fieldAxisLabel(core::Field field);

} // namespace mlastudio::ui
