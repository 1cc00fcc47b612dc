// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/parameters.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mlastudio::core {

/** How a number is checked. */
enum class LimitKind {
    Real,       //!< a finite number in [min, max] (or 0 when zeroAllowed)
    Fraction,   //!< a real number that is a share of a peak, in [min, max] with max = 1
    Integer,    //!< a whole number in [min, max]
    Bits,       //!< one of 4, 8, 16
};

/**
 * The accepted range of one number of the parameters, in SI units, with the names every front end
 * uses for it. validate(), the preset and parameter loaders and the command line all check against
 * this one table (docs/presets.md lists it). A new parameter is one more row in src/inputlimits.cpp.
 *
 * The minimums are the sane lower ends of each quantity: no denormal or vanishing factor is accepted,
 * so every accepted input gives finite results (tests/core/tst_properties.cpp samples the corners).
 */
struct InputLimit {
    std::string_view id;        //!< id in presets and in ValidationIssue::field, e.g. "dram.bandwidth"
    std::string_view jsonKey;   //!< path in parametersToJson(), e.g. "hardware.dram_bandwidth_bytes_per_s"
    std::string_view siUnit;    //!< e.g. "B/s" ("" for counts and fractions)
    std::optional<Field> field; //!< the user-facing field (slider, --option), if there is one
    LimitKind kind;
    double min;                 //!< smallest accepted value other than 0
    double max;
    bool zeroAllowed;           //!< 0 is accepted too (none / not supported / same as 16-bit)
    double (*value)(const Parameters &);      //!< reads the number (SI units)
    void (*set)(Parameters &, double siValue); //!< writes it as is (no rounding, no validation)
};

/** \return every limit, hardware first, then model, workload and precision. */
std::span<const InputLimit> allInputLimits();
/** \return the limit with this id ("dram.bandwidth"), or nullptr. */
const InputLimit *inputLimit(std::string_view id);
/** \return the limit with this parametersToJson() path ("workload.batch"), or nullptr. */
const InputLimit *inputLimitForJsonKey(std::string_view jsonKey);
/**
 * \return the limit of a user-facing field, or nullptr if the table lacks its row (a programming
 * error that tests/core/tst_properties.cpp reports; front ends then skip the range check).
 */
const InputLimit *inputLimit(Field field);

/** \return true if \p siValue is accepted by \p limit. */
bool withinLimit(const InputLimit &limit, double siValue);

/**
 * \return "must be from A to B unit, got V unit" with the bounds and value expressed in a unit the
 * user typed: display value = SI value / \p scale. \p valueText, when given, is the value exactly as
 * typed (e.g. JSON "4294967297"), used instead of the converted \p siValue.
 */
std::string limitMessage(const InputLimit &limit, double siValue, double scale, std::string_view unit,
                         std::string_view valueText = {});

/** A number in the shortest form that reads back exactly enough: 1e6, 0.01, 4096, 1e-320. */
std::string shortNumber(double value);

/** Whose words an issue is phrased in. */
enum class IssueStyle {
    Preset,       //!< preset ids and SI units: "derate.compute: must be ..."
    Json,         //!< parametersToJson() paths and SI units: "hardware.compute_derate: ..."
    CommandLine,  //!< --options and their display units: "--energy-mac-pj: must be from 0 to 1e6 pJ, got 1e12 pJ"
    Display,      //!< GUI labels and display units: "Energy / MAC (16-bit): ..."
};

/** \return the name of the issue's parameter in a style ("--compute-derate", "workload.batch"). */
std::string issueSubject(const ValidationIssue &issue, IssueStyle style);
/** \return what is wrong, with bounds and value in the style's units. */
std::string issueText(const ValidationIssue &issue, IssueStyle style);
/** \return issueSubject() + ": " + issueText(). */
std::string formatIssue(const ValidationIssue &issue, IssueStyle style);

/**
 * Why a path cannot be read as an input file, or an empty string if it is a regular file (after
 * following symbolic links) of at most \p maxBytes. Checked with stat() before any open, so a FIFO,
 * device, socket or directory is reported at once instead of blocking: "no such file",
 * "is a directory", "is a FIFO, not a regular file", "is N bytes; at most M bytes are accepted", ...
 */
std::string inputFileProblem(const std::string &path, std::uintmax_t maxBytes);

} // namespace mlastudio::core
