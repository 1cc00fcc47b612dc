// SPDX-License-Identifier: MIT
// One unit per quantity: field values in their display units, bytes decimal or binary, no milli-tokens.
#include "check.h"

#include "mlastudio/core/units.h"

#include <string>

using namespace mlastudio::core;

TEST_CASE(fieldValuesUseTheSliderUnit)
{
    // 33 MiB of on-chip memory reads as the slider shows it, not as 34.6 MB.
    CHECK_EQ(formatFieldValue(fieldInfo(Field::SramCapacity), 33.0 * 1048576.0), std::string("33 MiB"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::DramBandwidth), 3.35e12), std::string("3350 GB/s"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::PeakCompute), 989.4e12), std::string("989 TFLOP/s"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::DramCapacity), 80e9), std::string("80 GB"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::KvLoraRank), 512.0), std::string("512"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::KvLength), 4096.0), std::string("4096 tokens"));
    // Counts are singular for one.
    CHECK_EQ(formatFieldValue(fieldInfo(Field::Batch), 1.0), std::string("1 request"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::Batch), 2.0), std::string("2 requests"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::QueryLength), 1.0), std::string("1 token"));
    CHECK_EQ(formatFieldValue(fieldInfo(Field::TensorParallel), 1.0), std::string("1 device"));
    // Units that are not count nouns keep their spelling.
    CHECK_EQ(fieldUnitText(fieldInfo(Field::StaticPower), 1.0), std::string("W"));
    CHECK_EQ(fieldUnitText(fieldInfo(Field::MmaTileRows), 1.0), std::string("row"));
}

TEST_CASE(bytesDecimalAndBinary)
{
    CHECK_EQ(formatBytes(34.6e6), std::string("34.6 MB"));
    CHECK_EQ(formatBytes(80e9), std::string("80 GB"));
    CHECK_EQ(formatBytes(512.0), std::string("512 B"));
    CHECK_EQ(formatBytes(0.5), std::string("0.5 B"));  // never "500 mB"
    CHECK_EQ(formatBinaryBytes(33.0 * 1048576.0), std::string("33 MiB"));
    CHECK_EQ(formatBinaryBytes(1536.0), std::string("1.5 KiB"));
    CHECK_EQ(formatBinaryBytes(1073741824.0), std::string("1 GiB"));
    CHECK_EQ(formatBinaryBytes(100.0), std::string("100 B"));
}

TEST_CASE(tokenRatesHaveNoMilliPrefix)
{
    CHECK_EQ(formatTokenRate(0.0252), std::string("0.0252 tok/s"));
    CHECK_EQ(formatTokenRate(0.5, "tokens/s"), std::string("0.5 tokens/s"));
    CHECK_EQ(formatTokenRate(252.0), std::string("252 tok/s"));
    CHECK_EQ(formatTokenRate(999.0), std::string("999 tok/s"));
    CHECK_EQ(formatTokenRate(25200.0), std::string("25.2 ktok/s"));
    CHECK_EQ(formatTokenRate(3.1e6), std::string("3.1 Mtok/s"));
    CHECK(formatTokenRate(0.0252).find("mtok") == std::string::npos);
    CHECK_EQ(formatSi(3.35e12, "B/s"), std::string("3.35 TB/s"));
    CHECK_EQ(formatSi(2.5e-3, "s"), std::string("2.5 ms"));
}

CHECK_MAIN()
