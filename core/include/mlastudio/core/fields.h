// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/parameters.h"

#include <array>
#include <optional>
#include <string_view>

namespace mlastudio::core {

/**
 * Every number a user can change. The GUI builds its sliders from this table, the command line its
 * overrides, and scenario files store edits by id.
 */
enum class Field {
    DramBandwidth,
    PeakCompute,
    SramCapacity,
    SramBandwidth,
    DramCapacity,
    KvLoraRank,
    QLoraRank,
    RopeDim,
    Heads,
    KvHeads,
    HeadDim,
    VHeadDim,
    HiddenSize,
    Layers,
    Batch,
    KvLength,
    QueryLength,
    WeightBits,
    KvBits,
    ActBits,
    EnergyMac16,
    EnergyMac8,
    EnergyDram,
    EnergySram,
    StaticPower,
    ComputeDerate,
    BandwidthDerate,
    AttentionComputeDerate,
    AttentionBandwidthDerate,
    KernelLatencyFloor,
    MmaTileRows,
    InterconnectBandwidth,
    InterconnectLatency,
    TensorParallel,
    DataParallel,
    ExpertParallel,
};

/** Which group of controls a field belongs to. */
enum class FieldGroup {
    Hardware,
    Model,
    Workload,
    Precision,
    Energy,
    Kernel,     //!< achievable efficiencies, latency floor and tensor-core tiles (used when derates are on)
    Parallelism,//!< tensor-, data- and expert-parallel degrees
};

/** How a field is shown and bounded. Display value = SI value / displayScale. */
struct FieldInfo {
    Field field;
    FieldGroup group;
    std::string_view id;        //!< stable id used in scenario files, e.g. "dram_bandwidth"
    std::string_view cliName;   //!< command-line option, e.g. "bandwidth-gbs"
    std::string_view label;     //!< e.g. "Memory bandwidth"
    std::string_view unit;      //!< display unit, e.g. "GB/s"
    std::string_view symbol;    //!< symbol in docs/model.md, e.g. "BW_DRAM"
    double displayScale;        //!< SI units per display unit (1e9 for GB/s)
    double min;                 //!< in display units
    double max;                 //!< in display units
    bool logScale;              //!< slider spacing
    bool integer;               //!< only whole numbers (or one of 4, 8, 16 for precisions)
    double step = 0.0;          //!< sliders and GUI sweeps snap to multiples of this (display units); 0: none
};

/** Number of fields: the table in fields.cpp is checked against it at compile time. */
inline constexpr int kFieldCount = int(Field::ExpertParallel) + 1;

/** \return the table entry of a field. */
const FieldInfo &fieldInfo(Field field);
/** \return every field in display order. */
const std::array<FieldInfo, kFieldCount> &allFields();
/** \return the field with this scenario id. */
std::optional<Field> fieldFromId(std::string_view id);

/**
 * \return \p displayValue as sliders and GUI sweeps set it: a multiple of FieldInfo::step where the field
 * has one (ranks and dims: 64), else a whole number for integer fields, clamped to [min, max].
 */
double snapDisplayValue(const FieldInfo &field, double displayValue);

/** \return the field's value in SI units (counts for integers). */
double fieldValue(const Parameters &params, Field field);
/**
 * Sets a field from an SI value (rounded for integer fields). Does not validate: call validate().
 * Setting PeakCompute scales the 8- and 4-bit peaks by the same factor.
 */
void setFieldValue(Parameters &params, Field field, double value);

} // namespace mlastudio::core
