// SPDX-License-Identifier: MIT
#pragma once

#include "scenario.h"

#include <QString>
#include <QVector>

namespace mlastudio::ui {

/** Largest measured-points CSV accepted, in bytes. */
inline constexpr qint64 kMaxMeasuredCsvBytes = 1024 * 1024;
/** Most rows accepted in one measured-points CSV. */
inline constexpr int kMaxMeasuredRows = 10000;

/**
 * Parses measured points from CSV text. A header row is required with the columns
 * intensity_flop_per_byte and achieved_flops_per_s (any order) and optionally label; other columns
 * are ignored. Fields may be double-quoted; blank lines and lines starting with '#' are skipped.
 * \param fileName used in error messages only.
 * \param error set to a message naming the file, line and column on failure (points are then empty).
 */
QVector<MeasuredPoint> parseMeasuredCsv(const QString &text, const QString &fileName, QString *error);

/** Reads and parses a file (at most kMaxMeasuredCsvBytes). \see parseMeasuredCsv() */
QVector<MeasuredPoint> readMeasuredCsv(const QString &path, QString *error);

} // namespace mlastudio::ui
