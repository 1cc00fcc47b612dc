// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/measured.h"
#include "mlastudio/core/validation.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace mlastudio::ui {

class PresetRegistry;

/** \return the shipped measured-point files (every .csv in presets/measured, embedded as resources), by name. */
QStringList shippedMeasuredFiles();

/** \return the name a file is reported by: "presets/measured/NAME.csv" for a shipped file, else the path. */
QString measuredFileDisplayName(const QString &path);

/**
 * Loads measured points from shipped files or files on disk; hardware and model ids are checked
 * against \p registry (shipped and user presets). \throws core::MeasuredError naming file:line
 */
std::vector<core::MeasuredPoint> loadMeasuredPoints(const QStringList &paths, const PresetRegistry &registry);

/**
 * Evaluates every point on its own preset hardware and model (kernel scope, derates on and off).
 * \throws core::MeasuredError for a row whose configuration is invalid.
 */
std::vector<core::ValidationRow> validationRows(const std::vector<core::MeasuredPoint> &points,
                                                const PresetRegistry &registry);

} // namespace mlastudio::ui
