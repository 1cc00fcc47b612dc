#!/usr/bin/env python3
"""Time the attention kernel of one layer on the GPU at hand and print presets/measured CSV rows.

Cases, for B in {1, 16, 64, 128} and L in {1K, 4K, 16K} (decode, one new token per request):
  mha            MHA decode, 128 heads x 128 dims, torch SDPA (flash backend where it runs)
  gqa            GQA decode, 128 query heads on 8 KV heads x 128 dims, torch SDPA
  mla-reuse      absorbed MLA decode: q [B,1,128,576] against the latent cache [B,L,576]; scores over
                 all 576 dims, context over the first 512 (FlashMLA if importable, else fused torch SDPA
                 in MQA form, else unfused bmm/softmax/bmm, marked anomalous)
  mla-recompute  recompute MLA decode: up-projection GEMM latent [B*L,512] x W_UKV [512,128*256], then
                 SDPA over the up-projected K (128 nope + 64 shared rope dims) and V (128 dims)

Each case is timed with CUDA events around the kernel(s) only, after a warm-up, with the L2 cache
flushed before every timed launch; the value is the median of --iters launches. Configurations whose
tensors do not fit in free GPU memory are skipped and listed as '#' comment lines in the output.
The output follows docs/measured.md, so it can be passed to `mla-studio validate`.
"""

import argparse
import csv
import math
import statistics
import sys
import time

COLUMNS = ["source", "hardware", "model", "heads", "kv_heads", "head_dim", "v_head_dim", "kv_lora_rank",
           "rope_dim", "scheme", "phase", "batch", "seq_len", "query_len", "dtype", "measured", "value",
           "unit", "anomalous", "note"]

# DeepSeek-V3 attention dimensions (presets/models/deepseek-v3.json).
N_HEADS = 128
D_NOPE = 128
D_ROPE = 64
D_V = 128
D_LATENT = 512
D_ABSORBED = D_LATENT + D_ROPE  # 576
GQA_KV_HEADS = 8

BATCHES = [1, 16, 64, 128]
SEQ_LENS = [1024, 4096, 16384]
CASES = ["mha", "gqa", "mla-reuse", "mla-recompute"]
BYTES_BF16 = 2
L2_FLUSH_BYTES = 256 * 1024 * 1024  # larger than any current GPU's L2 (H200: 50 MB, B200: 126 MB)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--hardware", default="h200", help="hardware preset id written to each row (default: h200)")
    p.add_argument("--out", help="write the CSV here instead of stdout")
    p.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of " + ",".join(CASES))
    p.add_argument("--batches", default=",".join(map(str, BATCHES)), help="comma-separated batch sizes")
    p.add_argument("--seq-lens", default=",".join(map(str, SEQ_LENS)), help="comma-separated KV lengths")
    p.add_argument("--warmup", type=int, default=3, help="untimed launches per case (default 3)")
    p.add_argument("--iters", type=int, default=15, help="timed launches per case; the median is kept (default 15)")
    p.add_argument("--memory-fraction", type=float, default=0.85,
                   help="use at most this fraction of the free GPU memory for one case (default 0.85)")
    p.add_argument("--time-budget", type=float, default=420.0,
                   help="stop starting new cases after this many seconds (default 420, under 8 minutes)")
    p.add_argument("--no-flash-mla", action="store_true", help="time the torch absorbed-MLA path even if flash_mla imports")
    return p.parse_args(argv)


def case_bytes(case, b, l):
    """Device memory a case allocates (inputs, intermediates, outputs), in bytes."""
    if case == "mha":
        return BYTES_BF16 * (2 * b * l * N_HEADS * D_NOPE + 2 * b * N_HEADS * D_NOPE)
    if case == "gqa":
        return BYTES_BF16 * (2 * b * l * GQA_KV_HEADS * D_NOPE + 2 * b * N_HEADS * D_NOPE)
    if case == "mla-reuse":
        # latent cache, q, output, and the unfused fallback's scores: bf16 + fp32 copy, scaled, softmax, bf16
        scores = b * N_HEADS * l * (BYTES_BF16 + 4 + 4 + 4 + BYTES_BF16)
        return BYTES_BF16 * (b * l * D_ABSORBED + b * N_HEADS * (D_ABSORBED + D_LATENT)) + scores
    if case == "mla-recompute":
        latent = b * l * (D_LATENT + D_ROPE)
        up = b * l * N_HEADS * (D_NOPE + D_V)           # GEMM output
        k_full = b * l * N_HEADS * (D_NOPE + D_ROPE)    # K with the shared rope part appended
        weights = D_LATENT * N_HEADS * (D_NOPE + D_V)
        return BYTES_BF16 * (latent + up + k_full + weights + 2 * b * N_HEADS * (D_NOPE + D_ROPE))
    raise ValueError(case)


def case_dims(case):
    """Model preset and dimension overrides of a case, as CSV fields."""
    if case == "mha":
        return dict(model="llama-3.1-70b", heads=N_HEADS, kv_heads=N_HEADS, head_dim=D_NOPE, v_head_dim=D_NOPE, scheme="mha")
    if case == "gqa":
        return dict(model="llama-3.1-70b", heads=N_HEADS, kv_heads=GQA_KV_HEADS, head_dim=D_NOPE, v_head_dim=D_NOPE, scheme="gqa")
    if case == "mla-reuse":
        return dict(model="deepseek-v3", heads=N_HEADS, kv_lora_rank=D_LATENT, rope_dim=D_ROPE, scheme="mla-reuse")
    if case == "mla-recompute":
        return dict(model="deepseek-v3", heads=N_HEADS, head_dim=D_NOPE, v_head_dim=D_V, kv_lora_rank=D_LATENT,
                    rope_dim=D_ROPE, scheme="mla-recompute")
    raise ValueError(case)


class Timer:
    """Median kernel time with CUDA events, flushing L2 before every timed launch."""

    def __init__(self, torch, warmup, iters):
        self.torch = torch
        self.warmup = warmup
        self.iters = iters
        self.flush = torch.empty(L2_FLUSH_BYTES // 4, dtype=torch.int32, device="cuda")

    def median_s(self, fn):
        torch = self.torch
        for _ in range(self.warmup):
            fn()
        torch.cuda.synchronize()
        times = []
        for _ in range(self.iters):
            self.flush.zero_()
            start = torch.cuda.Event(enable_timing=True)
            end = torch.cuda.Event(enable_timing=True)
            start.record()
            fn()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) * 1e-3)
        return statistics.median(times)


def sdpa_backends(torch):
    """SDPA backend lists to try, best first, as (name, list); empty when torch has no selector."""
    try:
        from torch.nn.attention import SDPBackend
    except ImportError:
        return []
    return [("flash", [SDPBackend.FLASH_ATTENTION]), ("efficient", [SDPBackend.EFFICIENT_ATTENTION]),
            ("cudnn", [SDPBackend.CUDNN_ATTENTION]), ("math", [SDPBackend.MATH])]


def run_sdpa(torch, timer, q, k, v, gqa):
    """Time F.scaled_dot_product_attention with the first backend that accepts the shapes."""
    import torch.nn.functional as F
    kwargs = {"enable_gqa": True} if gqa else {}
    backends = sdpa_backends(torch)
    if not backends:
        fn = lambda: F.scaled_dot_product_attention(q, k, v, **kwargs)  # noqa: E731
        return timer.median_s(fn), "default"
    from torch.nn.attention import sdpa_kernel
    last_error = None
    for name, backend in backends:
        try:
            with sdpa_kernel(backend):
                fn = lambda: F.scaled_dot_product_attention(q, k, v, **kwargs)  # noqa: E731
                fn()
                torch.cuda.synchronize()
                return timer.median_s(fn), name
        except (RuntimeError, TypeError) as e:  # backend does not support these shapes or this build
            last_error = e
    raise RuntimeError(f"no SDPA backend accepted the shapes: {last_error}")


def measure_mha(torch, timer, b, l, kv_heads):
    q = torch.randn(b, N_HEADS, 1, D_NOPE, device="cuda", dtype=torch.bfloat16)
    k = torch.randn(b, kv_heads, l, D_NOPE, device="cuda", dtype=torch.bfloat16)
    v = torch.randn(b, kv_heads, l, D_NOPE, device="cuda", dtype=torch.bfloat16)
    t, backend = run_sdpa(torch, timer, q, k, v, gqa=kv_heads != N_HEADS)
    return t, f"torch SDPA ({backend} backend), q [B,{N_HEADS},1,{D_NOPE}], K/V [B,{kv_heads},L,{D_NOPE}] contiguous"


def measure_mla_reuse(torch, timer, b, l, flash_mla):
    """Absorbed MLA decode: FlashMLA if given, else fused SDPA with the heads as query rows, else bmm.

    Returns (seconds, method, anomalous): anomalous is True for the unfused bmm fallback, which writes the
    score and probability matrices to DRAM and so is not the fused kernel the model costs.
    """
    scale = 1.0 / math.sqrt(D_NOPE + D_ROPE)
    if flash_mla is not None:
        try:
            t, method = measure_flash_mla(torch, timer, b, l, scale, flash_mla)
            return t, method, False
        except (RuntimeError, TypeError) as e:
            fallback = f"flash_mla failed ({str(e).splitlines()[0]}); "
    else:
        fallback = "flash_mla not importable; "
    # MQA form of absorbed MLA: one KV head; the 128 query heads become 128 query rows of that head.
    q = torch.randn(b, 1, N_HEADS, D_ABSORBED, device="cuda", dtype=torch.bfloat16)
    cache = torch.randn(b, 1, l, D_ABSORBED, device="cuda", dtype=torch.bfloat16)
    latent = cache[..., :D_LATENT]  # context over the first 512 dims (a view, no copy)
    backends = [x for x in sdpa_backends(torch) if x[0] != "math"]
    if backends:
        import torch.nn.functional as F
        from torch.nn.attention import sdpa_kernel
        for name, backend in backends:
            try:
                with sdpa_kernel(backend):
                    fn = lambda: F.scaled_dot_product_attention(q, cache, latent, scale=scale)  # noqa: E731
                    fn()
                    torch.cuda.synchronize()
                    t = timer.median_s(fn)
                return t, (fallback + f"torch SDPA ({name} backend) in MQA form: q [B,1,128,576] (heads as query "
                           "rows), K = latent cache [B,1,L,576], V = its first 512 dims"), False
            except (RuntimeError, TypeError):
                continue
    q3 = q.view(b, N_HEADS, D_ABSORBED)
    cache_t = cache.view(b, l, D_ABSORBED).transpose(1, 2)  # [B, 576, L] view
    latent3 = cache.view(b, l, D_ABSORBED)[:, :, :D_LATENT]

    def fn():
        s = torch.bmm(q3, cache_t)  # [B, 128, L]
        p = torch.softmax(s.float() * scale, dim=-1).to(torch.bfloat16)
        return torch.bmm(p, latent3)  # [B, 128, 512]

    t = timer.median_s(fn)
    return t, (fallback + "no fused SDPA backend took head dim 576/512, so torch bmm + softmax + bmm (unfused: "
               "scores and probabilities go through DRAM; anomalous for a fused-kernel model)"), True


def measure_flash_mla(torch, timer, b, l, scale, flash_mla):
    block = 64
    blocks_per_seq = (l + block - 1) // block
    q = torch.randn(b, 1, N_HEADS, D_ABSORBED, device="cuda", dtype=torch.bfloat16)
    kv = torch.randn(b * blocks_per_seq, block, 1, D_ABSORBED, device="cuda", dtype=torch.bfloat16)
    table = torch.arange(b * blocks_per_seq, dtype=torch.int32, device="cuda").view(b, blocks_per_seq)
    seqlens = torch.full((b,), l, dtype=torch.int32, device="cuda")
    # Old releases take (cache_seqlens, s_q*h_q//h_kv, h_kv); new ones ignore the arguments.
    meta, splits = flash_mla.get_mla_metadata(seqlens, N_HEADS, 1)

    def fn():
        return flash_mla.flash_mla_with_kvcache(q, kv, table, seqlens, D_LATENT, meta, splits, softmax_scale=scale, causal=True)

    t = timer.median_s(fn)
    return t, "flash_mla.flash_mla_with_kvcache (FlashMLA dense decode incl. its combine kernel), paged KV block 64"


def measure_mla_recompute(torch, timer, b, l):
    import torch.nn.functional as F
    latent = torch.randn(b * l, D_LATENT, device="cuda", dtype=torch.bfloat16)
    k_rope = torch.randn(b, 1, l, D_ROPE, device="cuda", dtype=torch.bfloat16)
    w_ukv = torch.randn(D_LATENT, N_HEADS * (D_NOPE + D_V), device="cuda", dtype=torch.bfloat16) / math.sqrt(D_LATENT)
    q = torch.randn(b, N_HEADS, 1, D_NOPE + D_ROPE, device="cuda", dtype=torch.bfloat16)
    backend_used = {}

    def up_project():
        kv = torch.mm(latent, w_ukv).view(b, l, N_HEADS, D_NOPE + D_V)
        k_nope = kv[..., :D_NOPE].transpose(1, 2)  # [B, H, L, 128]
        v = kv[..., D_NOPE:].transpose(1, 2)  # [B, H, L, 128] view, last dim contiguous
        k = torch.cat([k_nope, k_rope.expand(b, N_HEADS, l, D_ROPE)], dim=-1)  # [B, H, L, 192]
        return k, v

    k, v = up_project()
    # Pick the SDPA backend once (outside the timed region), then time GEMM + concat + SDPA together.
    t_sdpa, backend = run_sdpa(torch, timer, q, k, v, gqa=False)
    del k, v
    backend_used["name"] = backend
    backends = dict(sdpa_backends(torch))

    def fn():
        kk, vv = up_project()
        if backends:
            from torch.nn.attention import sdpa_kernel
            with sdpa_kernel(backends[backend]):
                return F.scaled_dot_product_attention(q, kk, vv)
        return F.scaled_dot_product_attention(q, kk, vv)

    t = timer.median_s(fn)
    return t, (f"torch mm latent [B*L,512] x W_UKV [512,{N_HEADS}*{D_NOPE + D_V}] + cat of the shared rope key + SDPA "
               f"({backend} backend, q/k 192 dims, v 128) as separate kernels; SDPA alone {t_sdpa * 1e6:.1f} us")


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except ImportError:
        sys.exit("measure_attention.py needs PyTorch with CUDA (import torch failed)")
    if not torch.cuda.is_available():
        sys.exit("measure_attention.py needs a CUDA GPU (torch.cuda.is_available() is False)")

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    for c in cases:
        if c not in CASES:
            sys.exit(f"unknown case '{c}' in --cases (expected some of {','.join(CASES)})")
    batches = [int(x) for x in args.batches.split(",")]
    seq_lens = [int(x) for x in args.seq_lens.split(",")]

    gpu = torch.cuda.get_device_name(0)
    source = f"bench/gpu/measure_attention.py (this repo), torch {torch.__version__}, {gpu}"
    flash_mla = None
    if not args.no_flash_mla:
        try:
            import flash_mla  # noqa: F401  (deepseek-ai/FlashMLA, Hopper/Blackwell only)
        except ImportError:
            flash_mla = None
    timer = Timer(torch, args.warmup, args.iters)
    started = time.monotonic()

    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    out.write(f"# Measured with bench/gpu/measure_attention.py on {gpu}, torch {torch.__version__}, "
              f"CUDA {torch.version.cuda}.\n")
    out.write(f"# CUDA events around the kernel(s), {args.warmup} warm-up launches, median of {args.iters}, "
              "L2 flushed before each timed launch; bf16; decode with one new token per request.\n")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    out.flush()

    for case in cases:
        for b in batches:
            for l in seq_lens:
                elapsed = time.monotonic() - started
                if elapsed > args.time_budget:
                    out.write(f"# skipped {case} B={b} L={l}: time budget of {args.time_budget:.0f} s spent\n")
                    continue
                need = case_bytes(case, b, l) + L2_FLUSH_BYTES
                free, _total = torch.cuda.mem_get_info()
                if need > args.memory_fraction * free:
                    out.write(f"# skipped {case} B={b} L={l}: needs {need / 2**30:.1f} GiB, "
                              f"{free / 2**30:.1f} GiB free (limit {args.memory_fraction:.2f} of free)\n")
                    continue
                anomalous = False
                try:
                    if case == "mha":
                        t, method = measure_mha(torch, timer, b, l, N_HEADS)
                    elif case == "gqa":
                        t, method = measure_mha(torch, timer, b, l, GQA_KV_HEADS)
                    elif case == "mla-reuse":
                        t, method, anomalous = measure_mla_reuse(torch, timer, b, l, flash_mla)
                    else:
                        t, method = measure_mla_recompute(torch, timer, b, l)
                except torch.cuda.OutOfMemoryError:
                    out.write(f"# skipped {case} B={b} L={l}: out of GPU memory\n")
                    torch.cuda.empty_cache()
                    continue
                except RuntimeError as e:
                    out.write(f"# skipped {case} B={b} L={l}: {str(e).splitlines()[0]}\n")
                    torch.cuda.empty_cache()
                    continue
                row = dict(source=source, hardware=args.hardware, phase="decode", batch=b, seq_len=l, query_len=1,
                           dtype="bf16", measured="kernel_time", value=f"{t * 1e6:.2f}", unit="us",
                           anomalous="1" if anomalous else "",
                           note=f"{method}; median of {args.iters} CUDA-event timings after {args.warmup} warm-up")
                row.update(case_dims(case))
                writer.writerow(row)
                out.flush()
                torch.cuda.empty_cache()
    out.write(f"# total wall time {time.monotonic() - started:.0f} s\n")
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main(sys.argv[1:])
