// SPDX-License-Identifier: MIT
#include "mlastudio/core/measured.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/inputlimits.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace mlastudio::core {

namespace {

// The accepted range of an integer column: the row of the shared input table (inputlimits.h), checked
// here, before the conversion to int, so the message names the column.
struct IntRange {
    long long min;
    long long max;
};

IntRange rangeOf(std::string_view limitId)
{
    const InputLimit *limit = inputLimit(limitId);
    return {(long long)(limit->min), (long long)(limit->max)};
}

enum class Column {
    Source,
    Hardware,
    Model,
    Heads,
    KvHeads,
    HeadDim,
    VHeadDim,
    KvLoraRank,
    RopeDim,
    Scheme,
    Phase,
    Batch,
    SeqLen,
    QueryLen,
    Dtype,
    Measured,
    Value,
    Unit,
    Anomalous,
    Note,
};

struct ColumnInfo {
    Column column;
    const char *name;
    bool required;
};

constexpr std::array<ColumnInfo, 20> kColumns = {{
    {Column::Source, "source", true},
    {Column::Hardware, "hardware", true},
    {Column::Model, "model", true},
    {Column::Heads, "heads", false},
    {Column::KvHeads, "kv_heads", false},
    {Column::HeadDim, "head_dim", false},
    {Column::VHeadDim, "v_head_dim", false},
    {Column::KvLoraRank, "kv_lora_rank", false},
    {Column::RopeDim, "rope_dim", false},
    {Column::Scheme, "scheme", true},
    {Column::Phase, "phase", true},
    {Column::Batch, "batch", true},
    {Column::SeqLen, "seq_len", true},
    {Column::QueryLen, "query_len", false},
    {Column::Dtype, "dtype", true},
    {Column::Measured, "measured", true},
    {Column::Value, "value", true},
    {Column::Unit, "unit", true},
    {Column::Anomalous, "anomalous", false},
    {Column::Note, "note", false},
}};

const char *columnName(Column c)
{
    return kColumns[std::size_t(c)].name;
}

std::string quoted(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('\'');
    out.append(s);
    out.push_back('\'');
    return out;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// \return the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalidUtf8At(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned int cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size())
                return i;
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        static constexpr unsigned int kMin[] = {0, 0x80, 0x800, 0x10000};
        if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return std::string_view::npos;
}

class Parser {
public:
    Parser(std::string fileName, const PresetIdCheck &known) : m_file(std::move(fileName)), m_known(known) {}

    std::vector<MeasuredPoint> parse(std::string_view text)
    {
        if (text.size() > kMaxMeasuredBytes)
            fail(0, {}, "file is larger than the " + std::to_string(kMaxMeasuredBytes) + "-byte limit for measured points");
        if (text.substr(0, 3) == "\xEF\xBB\xBF")
            text.remove_prefix(3);
        std::vector<MeasuredPoint> points;
        int lineNo = 0;
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string_view::npos)
                end = text.size();
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            ++lineNo;
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (const std::size_t bad = invalidUtf8At(line); bad != std::string_view::npos)
                fail(lineNo, {}, "not UTF-8 (invalid byte at character " + std::to_string(bad + 1) + ")");
            const std::string_view content = trim(line);
            if (content.empty() || content.front() == '#')
                continue;
            if (m_headerLine == 0)
                readHeader(line, lineNo);
            else
                points.push_back(readRow(line, lineNo));
        }
        if (m_headerLine == 0)
            fail(0, {}, "no header line (expected the column names, e.g. source,hardware,model,scheme,...)");
        return points;
    }

private:
    [[noreturn]] void fail(int line, const std::string &column, const std::string &message) const
    {
        throw MeasuredError(m_file, line, column, message);
    }

    // The name of the field at an index: the header's column, or its position past the header.
    std::string fieldName(std::size_t index) const
    {
        if (index < m_order.size())
            return columnName(m_order[index]);
        return {};
    }

    // Splits one line into fields (RFC 4180 quoting, on one line). \throws MeasuredError
    std::vector<std::string> split(std::string_view line, int lineNo) const
    {
        std::vector<std::string> fields;
        std::size_t i = 0;
        const auto where = [&](std::size_t index) {
            const std::string name = fieldName(index);
            const std::string field = "field " + std::to_string(index + 1);
            return name.empty() ? field : "column " + quoted(name) + " (" + field + ")";
        };
        while (true) {
            const std::size_t index = fields.size();
            while (i < line.size() && isSpace(line[i]))
                ++i;
            std::string field;
            if (i < line.size() && line[i] == '"') {
                ++i;
                bool closed = false;
                while (i < line.size()) {
                    if (line[i] == '"') {
                        if (i + 1 < line.size() && line[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    field += line[i++];
                }
                if (!closed)
                    fail(lineNo, fieldName(index), "bad quoting in " + where(index)
                                                       + ": the quoted field is not closed on this line");
                while (i < line.size() && isSpace(line[i]))
                    ++i;
                if (i < line.size() && line[i] != ',')
                    fail(lineNo, fieldName(index), "bad quoting in " + where(index) + ": found "
                                                       + quoted(line.substr(i, 1)) + " after the closing quote");
            } else {
                const std::size_t end = std::min(line.find(',', i), line.size());
                const std::string_view raw = line.substr(i, end - i);
                if (raw.find('"') != std::string_view::npos)
                    fail(lineNo, fieldName(index), "bad quoting in " + where(index) + ": found a quote inside "
                                                       + quoted(trim(raw)) + " (quote the whole field, \"\" for a literal quote)");
                field = std::string(trim(raw));
                i = end;
            }
            fields.push_back(std::move(field));
            if (i >= line.size())
                break;
            ++i; // the comma
        }
        return fields;
    }

    void readHeader(std::string_view line, int lineNo)
    {
        m_headerLine = lineNo;
        const std::vector<std::string> names = split(line, lineNo);
        std::map<std::string, std::size_t> seen;
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::string &name = names[i];
            const auto info = std::find_if(kColumns.begin(), kColumns.end(), [&](const ColumnInfo &c) { return name == c.name; });
            if (info == kColumns.end()) {
                std::string list;
                for (const ColumnInfo &c : kColumns)
                    list += (list.empty() ? "" : ", ") + std::string(c.name);
                fail(lineNo, name, "unknown column " + quoted(name) + " in the header (field " + std::to_string(i + 1)
                                       + "); expected: " + list);
            }
            if (const auto dup = seen.find(name); dup != seen.end())
                fail(lineNo, name, "column " + quoted(name) + " appears twice in the header (fields "
                                       + std::to_string(dup->second + 1) + " and " + std::to_string(i + 1) + ")");
            seen[name] = i;
            m_order.push_back(info->column);
        }
        for (const ColumnInfo &c : kColumns)
            if (c.required && !seen.count(c.name))
                fail(lineNo, c.name, "missing required column " + quoted(c.name) + " in the header");
    }

    MeasuredPoint readRow(std::string_view line, int lineNo) const
    {
        const std::vector<std::string> fields = split(line, lineNo);
        if (fields.size() != m_order.size())
            fail(lineNo, {}, "wrong number of fields: expected " + std::to_string(m_order.size()) + " (as the header on line "
                                 + std::to_string(m_headerLine) + "), found " + std::to_string(fields.size()));
        std::array<const std::string *, kColumns.size()> cell{};
        for (std::size_t i = 0; i < fields.size(); ++i)
            cell[std::size_t(m_order[i])] = &fields[i];
        const auto get = [&](Column c) -> std::string_view {
            const std::string *s = cell[std::size_t(c)];
            return s ? std::string_view(*s) : std::string_view();
        };
        const auto bad = [&](Column c, const std::string &expected) {
            fail(lineNo, columnName(c), "column " + quoted(columnName(c)) + ": " + expected + ", found "
                                            + (get(c).empty() ? std::string("an empty field") : quoted(get(c))));
        };
        const auto required = [&](Column c) {
            if (get(c).empty())
                bad(c, "a value is required");
            return get(c);
        };
        const auto integer = [&](Column c, IntRange r) -> long long {
            const long long min = r.min, max = r.max;
            const std::string_view s = get(c);
            long long v = 0;
            const char *first = s.data();
            if (!s.empty() && s.front() == '+')
                ++first;
            const auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v);
            const std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
            if (ec == std::errc::result_out_of_range)
                bad(c, "integer out of range (expected an integer " + range + ")");
            if (ec != std::errc() || ptr != s.data() + s.size() || first == s.data() + s.size())
                bad(c, "expected an integer " + range);
            if (v < min || v > max)
                bad(c, "integer out of range (expected an integer " + range + ")");
            return v;
        };
        const auto optionalInt = [&](Column c, std::string_view limitId) -> std::optional<int> {
            if (get(c).empty())
                return std::nullopt;
            return int(integer(c, rangeOf(limitId)));
        };

        MeasuredPoint p;
        p.file = m_file;
        p.line = lineNo;
        p.source = std::string(required(Column::Source));
        p.hardwareId = std::string(required(Column::Hardware));
        if (m_known.hardware && !m_known.hardware(p.hardwareId))
            bad(Column::Hardware, "unknown hardware preset id (see 'mla-studio presets')");
        p.modelId = std::string(required(Column::Model));
        if (m_known.model && !m_known.model(p.modelId))
            bad(Column::Model, "unknown model preset id (see 'mla-studio presets')");
        p.heads = optionalInt(Column::Heads, "num_heads");
        p.kvHeads = optionalInt(Column::KvHeads, "num_kv_heads");
        p.headDim = optionalInt(Column::HeadDim, "qk_nope_head_dim");
        p.vHeadDim = optionalInt(Column::VHeadDim, "v_head_dim");
        p.kvLoraRank = optionalInt(Column::KvLoraRank, "kv_lora_rank");
        p.ropeDim = optionalInt(Column::RopeDim, "qk_rope_head_dim");

        const std::optional<Scheme> scheme = schemeFromId(required(Column::Scheme));
        if (!scheme) {
            std::string ids;
            for (Scheme s : kAllSchemes)
                ids += (ids.empty() ? "" : ", ") + std::string(schemeId(s));
            bad(Column::Scheme, "unknown scheme (expected one of: " + ids + ")");
        }
        p.scheme = *scheme;
        const std::string_view phase = required(Column::Phase);
        if (phase == "decode")
            p.phase = Phase::Decode;
        else if (phase == "prefill")
            p.phase = Phase::Prefill;
        else
            bad(Column::Phase, "expected decode or prefill");
        required(Column::Batch);
        p.batch = int(integer(Column::Batch, rangeOf("batch")));
        required(Column::SeqLen);
        p.seqLen = integer(Column::SeqLen, rangeOf("seq_len"));
        if (!get(Column::QueryLen).empty()) {
            const long long s = integer(Column::QueryLen, rangeOf("query_len"));
            if (p.phase == Phase::Prefill && s != p.seqLen)
                bad(Column::QueryLen, "prefill is causal with S = L = " + std::to_string(p.seqLen)
                                          + " (leave query_len empty)");
            if (p.phase == Phase::Decode && s > p.seqLen)
                bad(Column::QueryLen, "expected at most the KV length seq_len = " + std::to_string(p.seqLen));
            p.queryLen = int(s);
        }
        const std::string_view dtype = required(Column::Dtype);
        if (dtype == "bf16")
            p.dtype = MeasuredDtype::Bf16;
        else if (dtype == "fp16")
            p.dtype = MeasuredDtype::Fp16;
        else if (dtype == "fp8")
            p.dtype = MeasuredDtype::Fp8;
        else
            bad(Column::Dtype, "expected bf16, fp16 or fp8");
        p.dtypeBits = p.dtype == MeasuredDtype::Fp8 ? 8 : 16;
        if (required(Column::Measured) != "kernel_time")
            bad(Column::Measured, "expected kernel_time (the attention kernel of one layer)");

        const std::string_view valueText = required(Column::Value);
        double value = 0.0;
        const auto [ptr, ec] = std::from_chars(valueText.data(), valueText.data() + valueText.size(), value);
        if (ec == std::errc::result_out_of_range)
            bad(Column::Value, "expected a positive finite number");
        if (ec != std::errc() || ptr != valueText.data() + valueText.size())
            bad(Column::Value, "expected a number");
        if (!std::isfinite(value))
            bad(Column::Value, "expected a positive finite number");
        if (value <= 0.0)
            bad(Column::Value, "expected a time > 0");
        const std::string_view unit = required(Column::Unit);
        if (unit == "us")
            p.measuredTimeS = value * 1e-6;
        else if (unit == "ms")
            p.measuredTimeS = value * 1e-3;
        else
            bad(Column::Unit, "expected us or ms");

        const std::string_view anomalous = get(Column::Anomalous);
        if (anomalous.empty() || anomalous == "0" || anomalous == "no")
            p.anomalous = false;
        else if (anomalous == "1" || anomalous == "yes")
            p.anomalous = true;
        else
            bad(Column::Anomalous, "expected empty, 0, no, 1 or yes");
        p.note = std::string(get(Column::Note));
        return p;
    }

    std::string m_file;
    const PresetIdCheck &m_known;
    int m_headerLine = 0;
    std::vector<Column> m_order;  //!< column of each field, in header order
};

// The CSV column of a core::validate() field, for messages about a point's configuration.
std::string columnOfField(const std::string &field)
{
    static const std::map<std::string, std::string> columns = {
        {"num_heads", "heads"},          {"num_kv_heads", "kv_heads"}, {"qk_nope_head_dim", "head_dim"},
        {"qk_rope_head_dim", "rope_dim"}, {"v_head_dim", "v_head_dim"}, {"kv_lora_rank", "kv_lora_rank"},
        {"batch", "batch"},              {"seq_len", "seq_len"},       {"query_len", "query_len"},
    };
    const auto it = columns.find(field);
    if (it != columns.end())
        return it->second;
    return field.find('.') != std::string::npos ? "hardware" : "model";
}

} // namespace

std::string_view measuredDtypeId(MeasuredDtype dtype)
{
    switch (dtype) {
    case MeasuredDtype::Bf16: return "bf16";
    case MeasuredDtype::Fp16: return "fp16";
    case MeasuredDtype::Fp8: return "fp8";
    }
    return "bf16";
}

namespace {

std::string errorText(const std::string &file, int line, const std::string &message)
{
    std::string text = file;
    if (line > 0) {
        text.push_back(':');
        text.append(std::to_string(line));
    }
    text.append(": ");
    text.append(message);
    return text;
}

} // namespace

MeasuredError::MeasuredError(std::string file, int line, std::string column, std::string message)
    : std::runtime_error(errorText(file, line, message))
    , m_file(std::move(file)), m_line(line), m_column(std::move(column)), m_message(std::move(message))
{
}

std::vector<MeasuredPoint> parseMeasuredCsv(std::string_view text, const std::string &fileName, const PresetIdCheck &known)
{
    return Parser(fileName, known).parse(text);
}

std::vector<MeasuredPoint> loadMeasuredCsvFile(const std::string &path, const PresetIdCheck &known)
{
    // stat() before open() (inputFileProblem): opening a FIFO would block until a writer appears.
    if (const std::string problem = inputFileProblem(path, kMaxMeasuredBytes); !problem.empty())
        throw MeasuredError(path, 0, {}, problem);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw MeasuredError(path, 0, {}, "cannot open the file for reading");
    // Read at most one byte past the limit: the file may have grown since stat().
    std::string text(kMaxMeasuredBytes + 1, '\0');
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(std::size_t(in.gcount()));
    if (in.bad())
        throw MeasuredError(path, 0, {}, "read error");
    return parseMeasuredCsv(text, path, known);
}

Parameters measuredPointParameters(const MeasuredPoint &point, const ModelConfig &model, const HardwareConfig &hardware,
                                   bool applyDerates)
{
    Parameters p;
    p.model = model;
    p.hardware = hardware;
    if (point.heads)
        p.model.numHeads = *point.heads;
    if (point.kvHeads)
        p.model.numKvHeads = *point.kvHeads;
    if (point.headDim)
        p.model.qkNopeHeadDim = *point.headDim;
    if (point.vHeadDim)
        p.model.vHeadDim = *point.vHeadDim;
    if (point.kvLoraRank)
        p.model.kvLoraRank = *point.kvLoraRank;
    if (point.ropeDim)
        p.model.qkRopeHeadDim = *point.ropeDim;
    p.workload.phase = point.phase;
    p.workload.batch = point.batch;
    p.workload.kvLength = point.seqLen;
    p.workload.queryLength = point.phase == Phase::Prefill ? int(std::min<long long>(point.seqLen, 1 << 30)) : point.queryLen;
    p.precision = {point.dtypeBits, point.dtypeBits, point.dtypeBits};
    p.applyDerates = applyDerates;
    p.scope = Scope::Kernel;
    std::vector<ValidationIssue> issues = validate(p);
    for (ValidationIssue &i : validateScheme(p, point.scheme))
        issues.push_back(std::move(i));
    if (!issues.empty()) {
        const ValidationIssue &first = issues.front();
        throw MeasuredError(point.file, point.line, columnOfField(first.field),
                            "the row's configuration (model " + point.modelId + " on " + point.hardwareId
                                + ") is not valid: " + first.field + " " + first.message);
    }
    return p;
}

} // namespace mlastudio::core
