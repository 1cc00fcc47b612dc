// SPDX-License-Identifier: MIT
// libFuzzer target: measured-points CSV text -> core::parseMeasuredCsv. Only MeasuredError may escape
// the parser and it must name the file; every parsed point either builds valid kernel-scope
// parameters (which then evaluate to a finite kernel time, derates on and off) or is rejected with a
// MeasuredError naming its line.
#include "fuzz_common.h"

#include "mlastudio/core/measured.h"
#include "mlastudio/core/validation.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    std::vector<mlastudio::core::MeasuredPoint> points;
    try {
        points = mlastudio::core::parseMeasuredCsv(text, "fuzz.csv");
    } catch (const mlastudio::core::MeasuredError &e) {
        if (e.file() != "fuzz.csv" || e.line() < 0)
            std::abort();
        return 0;
    }
    const mlastudio::core::ModelConfig model;      // DeepSeek-V3-like defaults
    const mlastudio::core::HardwareConfig hardware; // H100-like defaults
    for (const mlastudio::core::MeasuredPoint &p : points) {
        if (p.source.empty() || !(p.measuredTimeS > 0.0) || p.line < 1)
            std::abort();
        mlastudio::core::ValidationRow row;
        row.point = p;
        try {
            row.params = mlastudio::core::measuredPointParameters(p, model, hardware, true);
        } catch (const mlastudio::core::MeasuredError &e) {
            if (e.line() != p.line)
                std::abort();
            continue;
        }
        mlastudio::core::predictRow(row, mlastudio::core::kernelTimeS);
        mlastudio::fuzz::requireFinite(row.predictedOnS, "kernel time (derates on)", p.scheme);
        mlastudio::fuzz::requireFinite(row.predictedOffS, "kernel time (derates off)", p.scheme);
    }
    return 0;
}
