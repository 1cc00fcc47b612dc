// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/fields.h"

#include <string>

namespace mlastudio::core {

/**
 * How every front end writes a quantity, so that slider, axis, readout and command line agree:
 * - a field's value is written in the field's display unit (FieldInfo::unit), as its slider and its
 *   command-line option take it: on-chip memory in MiB (binary), DRAM capacity in GB, bandwidth in GB/s;
 * - bytes of traffic, caches and weights use decimal SI prefixes (kB, MB, GB), like DRAM capacity;
 * - token rates use plain tok/s with k, M, … only from 1000 up: never a milli prefix ("mtok/s" reads as mega).
 */

/** \return a value with an SI prefix and a unit, e.g. formatSi(3.35e12, "B/s") == "3.35 TB/s". */
std::string formatSi(double value, const std::string &unit, int significant = 3);

/**
 * \return a token rate, formatSi from 1 up ("252 ktok/s"), a plain or scientific number below:
 * formatTokenRate(0.0252, "tok/s") == "0.0252 tok/s".
 */
std::string formatTokenRate(double tokensPerS, const std::string &unit = "tok/s", int significant = 3);

/** \return bytes with a decimal SI prefix: formatBytes(34.6e6) == "34.6 MB". */
std::string formatBytes(double bytes, int significant = 3);

/** \return bytes with a binary prefix: formatBinaryBytes(33 · 2^20) == "33 MiB". */
std::string formatBinaryBytes(double bytes, int significant = 3);

/**
 * \return the unit written after a display value of the field: FieldInfo::unit, singular for a count
 * of one ("1 request", "2 requests"); empty for unitless fields.
 */
std::string fieldUnitText(const FieldInfo &field, double displayValue);

/**
 * \return an SI value of a field in the field's display unit, e.g. 33 MiB of on-chip memory as
 * "33 MiB", 3.35e12 B/s as "3350 GB/s", a batch of 1 as "1 request". Integer fields are whole numbers;
 * other values have \p significant digits.
 */
std::string formatFieldValue(const FieldInfo &field, double siValue, int significant = 3);

} // namespace mlastudio::core
