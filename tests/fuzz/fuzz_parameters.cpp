// SPDX-License-Identifier: MIT
// libFuzzer target: JSON text -> core::parametersFromJson -> core::validate -> core::evaluate for every
// applicable scheme. Valid parameters must give finite times and energies; parametersFromJson may only
// throw std::invalid_argument; parametersToJson must round-trip.
#include "fuzz_common.h"

#include "mlastudio/core/report.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return 0;
    mlastudio::core::Parameters params;
    try {
        params = mlastudio::core::parametersFromJson(j, mlastudio::core::Parameters{});
    } catch (const std::invalid_argument &) {
        return 0;
    }
    mlastudio::fuzz::checkEvaluation(params);

    // What we write we must read back unchanged.
    const nlohmann::json written = mlastudio::core::parametersToJson(params);
    const mlastudio::core::Parameters again = mlastudio::core::parametersFromJson(written, mlastudio::core::Parameters{});
    if (mlastudio::core::parametersToJson(again) != written) {
        std::fprintf(stderr, "fuzz: parametersToJson/parametersFromJson do not round-trip:\n%s\n", written.dump().c_str());
        std::abort();
    }
    return 0;
}
