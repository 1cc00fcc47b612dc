// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/parameters.h"
#include "mlastudio/core/scheme.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mlastudio::core {

/** Largest measured-points CSV accepted, in bytes. */
inline constexpr std::size_t kMaxMeasuredBytes = 4u << 20;

/** Element type a measured kernel ran with; fp16 is costed like bf16 (16-bit). */
enum class MeasuredDtype {
    Bf16,
    Fp16,
    Fp8,
};

/** \return "bf16", "fp16" or "fp8". */
std::string_view measuredDtypeId(MeasuredDtype dtype);

/**
 * One published timing of an attention kernel (one row of a presets/measured/ CSV, format in
 * docs/measured.md). Dimensions start from the model preset; each set override replaces one.
 */
struct MeasuredPoint {
    std::string file;                   //!< as given to the parser (error messages, point ids)
    int line = 0;                       //!< 1-based line of the row in the file
    std::string source;                 //!< URL, owner/repo:path or paper + table
    std::string hardwareId;             //!< hardware preset id
    std::string modelId;                //!< model preset id the dimensions start from
    std::optional<int> heads;           //!< n_h
    std::optional<int> kvHeads;         //!< n_kv
    std::optional<int> headDim;         //!< d_h
    std::optional<int> vHeadDim;        //!< d_v
    std::optional<int> kvLoraRank;      //!< d_c
    std::optional<int> ropeDim;         //!< d_R
    Scheme scheme = Scheme::Mha;
    Phase phase = Phase::Decode;
    int batch = 1;                      //!< B
    long long seqLen = 1;               //!< L, KV length
    int queryLen = 1;                   //!< S, new tokens per request (decode; prefill uses L)
    MeasuredDtype dtype = MeasuredDtype::Bf16;
    int dtypeBits = 16;                 //!< 16 for bf16/fp16, 8 for fp8
    double measuredTimeS = 0.0;         //!< the attention kernel of one layer, seconds
    bool anomalous = false;             //!< excluded from the 2x check, still listed
    std::string note;

    /** \return "file:line", the point's id in reports. */
    std::string id() const { return file + ":" + std::to_string(line); }
};

/** A measured-points file that cannot be used: file, line (0: the whole file), column name and what is wrong. */
class MeasuredError : public std::runtime_error {
public:
    MeasuredError(std::string file, int line, std::string column, std::string message);
    const std::string &file() const { return m_file; }
    int line() const { return m_line; }
    /** Column name as in the header, or empty when the problem is not one column's (e.g. the field count). */
    const std::string &column() const { return m_column; }
    const std::string &message() const { return m_message; }

private:
    std::string m_file;
    int m_line = 0;
    std::string m_column;
    std::string m_message;
};

/** Which preset ids exist (shipped and user presets). An empty function accepts every id. */
struct PresetIdCheck {
    std::function<bool(const std::string &)> hardware;
    std::function<bool(const std::string &)> model;
};

/**
 * Parses a measured-points CSV (docs/measured.md). \p fileName is used in ids and messages only.
 * \throws MeasuredError naming file:line, the column and what was found, for the first bad row.
 */
std::vector<MeasuredPoint> parseMeasuredCsv(std::string_view text, const std::string &fileName,
                                            const PresetIdCheck &known = {});

/**
 * Reads and parses a file. Only regular files are opened (checked before opening, so a FIFO or a
 * directory is refused without blocking), at most kMaxMeasuredBytes. \throws MeasuredError
 */
std::vector<MeasuredPoint> loadMeasuredCsvFile(const std::string &path, const PresetIdCheck &known = {});

/**
 * The parameters that reproduce a point: kernel scope, the model preset with the point's overrides,
 * B, L, S, phase, and the dtype's bits for weights, KV cache and activations.
 * \throws MeasuredError (naming the point's file:line and the column) if the result is not valid.
 */
Parameters measuredPointParameters(const MeasuredPoint &point, const ModelConfig &model,
                                   const HardwareConfig &hardware, bool applyDerates);

} // namespace mlastudio::core
