// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/units.h"  // formatSi, formatTokenRate: the one place of unit formatting

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace mlastudio::core {

struct FieldSweepPoint; // sweep.h

inline constexpr const char *kEvaluateSchema = "mlastudio.evaluate/1";
inline constexpr const char *kSweepSchema = "mlastudio.sweep/1";
inline constexpr const char *kParametersSchema = "mlastudio.parameters/1";

/** \return "decode" or "prefill". */
std::string phaseId(Phase phase);

/** \return the parameters as JSON (model, hardware, workload, precision; SI units). */
nlohmann::json parametersToJson(const Parameters &params);

/**
 * Reads parameters written by parametersToJson(). Missing sections keep the values in \p base.
 * \throws std::invalid_argument naming the field and what was expected.
 */
Parameters parametersFromJson(const nlohmann::json &j, const Parameters &base);

/** \return one result as JSON (the fields documented in the README; SI base units). */
nlohmann::json resultToJson(const StepResult &result);

/** \return the evaluate document: schema, inputs and results. */
nlohmann::json evaluationToJson(const Parameters &params, const std::vector<StepResult> &results);

/** \return a CSV table, one row per scheme and operator (operator "total" for the step). */
std::string evaluationToCsv(const std::vector<StepResult> &results);

/**
 * \return the CSV of a field sweep: header `<cli name>,scheme,time_s,tokens_per_s,energy_per_token_j,
 * flops,dram_bytes,bound,fits_in_dram`, then one row per point and scheme. The axis value is in the
 * option's display units, written so that it reads back exactly (shortNumber); the other numbers are
 * formatted as evaluationToCsv() formats its total rows. Points with issues have no rows.
 */
std::string fieldSweepToCsv(Field field, const std::vector<FieldSweepPoint> &points);

/** \return the sweep document: schema, axis, base parameters and the rows of fieldSweepToCsv() as objects. */
nlohmann::json fieldSweepToJson(const Parameters &params, Field field, const std::vector<FieldSweepPoint> &points);

/** \return a human-readable table with SI prefixes. */
std::string evaluationToTable(const Parameters &params, const std::vector<StepResult> &results);

} // namespace mlastudio::core
