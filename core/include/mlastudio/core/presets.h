// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/parameters.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace mlastudio::core {

inline constexpr const char *kHardwareSchema = "mlastudio.hardware/1";
inline constexpr const char *kModelSchema = "mlastudio.model/1";

/** Largest preset file accepted, in bytes. */
inline constexpr std::size_t kMaxPresetBytes = 1 << 20;

/** A preset that cannot be used: which file, which field (JSON path) and what was expected. */
class PresetError : public std::runtime_error {
public:
    PresetError(std::string file, std::string field, std::string expected);
    const std::string &file() const { return m_file; }
    const std::string &field() const { return m_field; }
    const std::string &expected() const { return m_expected; }

private:
    std::string m_file;
    std::string m_field;
    std::string m_expected;
};

/** A number as a preset states it: value in its unit, the unit, and where it comes from. */
struct SourcedQuantity {
    std::string field;  //!< JSON path, e.g. "dram.bandwidth"
    double value = 0.0; //!< as written in the file
    std::string unit;
    double si = 0.0;    //!< converted to SI base units (FLOP/s, B/s, B, J, J/B, W)
    std::string source;
    std::string note;
};

/** A hardware preset with the provenance of each number. */
struct HardwarePreset {
    HardwareConfig config;
    std::string description;
    std::vector<SourcedQuantity> quantities;
};

/** A model preset. */
struct ModelPreset {
    ModelConfig config;
    std::string description;
    std::string note;
};

/**
 * Parses a hardware preset. \p fileName is used in error messages only.
 * \throws PresetError naming the file, the field and what was expected.
 */
HardwarePreset parseHardwarePreset(const std::string &jsonText, const std::string &fileName);

/** Parses a model preset. \throws PresetError. */
ModelPreset parseModelPreset(const std::string &jsonText, const std::string &fileName);

/** Reads and parses a file (size-limited). \throws PresetError. */
HardwarePreset loadHardwarePresetFile(const std::string &path);
/** Reads and parses a file (size-limited). \throws PresetError. */
ModelPreset loadModelPresetFile(const std::string &path);

/** \return the SI factor of a unit for a quantity kind, or 0 if the unit is not accepted. */
double unitFactor(const std::string &unit, const std::string &kind);

} // namespace mlastudio::core
