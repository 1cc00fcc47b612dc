// SPDX-License-Identifier: MIT
// A tiny Qt-free test harness, so the core tests build and run in the core-only build
// (-DMLASTUDIO_BUILD_UI=OFF, no Qt installed) as well as in the full one.
//
//   TEST_CASE(name) { CHECK(cond); CHECK_MSG(cond, text); CHECK_EQ(actual, expected);
//                     CHECK_THROWS(Type, expr); FAIL(text); }
//   CHECK_MAIN()   // once per executable; `tst_x NAME...` runs only the named cases
//
// A failed check ends its test case (like QVERIFY); the executable exits 1 if any case failed.
// CHECK_EQ compares floating-point values to 1e-12 relative, as QCOMPARE does.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace check {

struct Failure {};

struct Case {
    const char *name;
    void (*run)();
};

inline std::vector<Case> &cases()
{
    static std::vector<Case> all;
    return all;
}

struct Register {
    Register(const char *name, void (*run)()) { cases().push_back({name, run}); }
};

[[noreturn]] inline void fail(const char *file, int line, const std::string &what)
{
    std::fprintf(stderr, "  %s:%d: %s\n", file, line, what.c_str());
    throw Failure{};
}

template<typename T>
std::string show(const T &v)
{
    if constexpr (std::is_same_v<T, bool>) {
        return v ? "true" : "false";
    } else if constexpr (std::is_enum_v<T>) {
        return std::to_string(static_cast<long long>(v));
    } else if constexpr (std::is_floating_point_v<T>) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", double(v));
        return buf;
    } else if constexpr (std::is_arithmetic_v<T>) {
        return std::to_string(v);
    } else if constexpr (std::is_convertible_v<const T &, std::string_view>) {
        std::string quoted(1, '"');
        quoted.append(std::string_view(v));
        quoted.push_back('"');
        return quoted;
    } else {
        return "(value)";
    }
}

template<typename A, typename B>
bool equal(const A &a, const B &b)
{
    if constexpr (std::is_floating_point_v<A> || std::is_floating_point_v<B>) {
        const double x = double(a), y = double(b);
        return x == y || std::fabs(x - y) <= 1e-12 * std::fmax(std::fabs(x), std::fabs(y));
    } else {
        return a == b;
    }
}

/** A scratch directory removed with everything in it when it goes out of scope. */
class TempDir {
public:
    TempDir()
    {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/mlastudio-test-XXXXXX";
        if (!mkdtemp(pattern.data()))
            std::abort();
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return m_path; }
    std::string file(const std::string &name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

inline int runAll(int argc, char **argv)
{
    int failed = 0, ran = 0;
    for (const Case &c : cases()) {
        bool wanted = argc < 2;
        for (int i = 1; i < argc; ++i)
            wanted = wanted || std::string_view(argv[i]) == c.name;
        if (!wanted)
            continue;
        ++ran;
        bool ok = true;
        try {
            c.run();
        } catch (const Failure &) {
            ok = false;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "  unexpected exception: %s\n", e.what());
            ok = false;
        }
        std::printf("%s   : %s\n", ok ? "PASS" : "FAIL!", c.name);
        failed += ok ? 0 : 1;
    }
    std::printf("Totals: %d passed, %d failed\n", ran - failed, failed);
    return failed == 0 && ran > 0 ? 0 : 1;
}

} // namespace check

#define CHECK_CAT2(a, b) a##b
#define CHECK_CAT(a, b) CHECK_CAT2(a, b)

#define TEST_CASE(name)                                                                                    \
    static void name();                                                                                    \
    static const check::Register CHECK_CAT(name, _registered)(#name, &name);                               \
    static void name()

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond))                                                                                       \
            check::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed");                                    \
    } while (0)

#define CHECK_MSG(cond, message)                                                                           \
    do {                                                                                                   \
        if (!(cond))                                                                                       \
            check::fail(__FILE__, __LINE__, "CHECK(" #cond ") failed: " + std::string(message));           \
    } while (0)

#define CHECK_EQ(actual, expected)                                                                         \
    do {                                                                                                   \
        const auto &check_a_ = (actual);                                                                   \
        const auto &check_e_ = (expected);                                                                 \
        if (!check::equal(check_a_, check_e_))                                                             \
            check::fail(__FILE__, __LINE__,                                                                \
                        "CHECK_EQ(" #actual ", " #expected "): got " + check::show(check_a_) + ", expected "  \
                            + check::show(check_e_));                                                      \
    } while (0)

#define CHECK_THROWS(Type, expr)                                                                           \
    do {                                                                                                   \
        bool check_thrown_ = false;                                                                        \
        try {                                                                                              \
            (void)(expr);                                                                                  \
        } catch (const Type &) {                                                                           \
            check_thrown_ = true;                                                                          \
        }                                                                                                  \
        if (!check_thrown_)                                                                                \
            check::fail(__FILE__, __LINE__, #expr " did not throw " #Type);                                \
    } while (0)

#define FAIL(message) check::fail(__FILE__, __LINE__, std::string(message))

#define CHECK_MAIN()                                                                                       \
    int main(int argc, char **argv) { return check::runAll(argc, argv); }
