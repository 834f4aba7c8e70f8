;; A WebAssembly plugin over loadr's byte ABI (docs/plugins.md "The ABI"), written by hand in
;; the text format; build it with `wat2wasm score.wat -o score.wasm` (build.sh). Every function
;; is  i32 NAME(i32 in_ptr, i32 in_len, i32 out_len_ptr) -> i32 out_ptr.
;;
;;   score (raw)    ${score(vars.user)}: sum of byte[i] * (i + 1), mod 10007, as decimal text
;;   nonempty (raw) checks: [{ wasm: nonempty }]: "true" when the body is not empty
;;   measure (json) - wasm: { call: measure }: {"vars_bytes": N}, N = the JSON input's length
;;   boom (raw)     traps (unreachable): what a broken plugin looks like to a run
;;
;; Memory: the manifest is at 16 (address 0 would read as NULL); the output is written at OUT (1024, up to 3 KiB); inputs are bump-allocated from HEAP
;; (8192) by `alloc`, and every function resets the bump pointer when it returns (the host makes
;; one call at a time per instance).
(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 8192))
  (data (i32.const 16) "{\"apiVersion\":1,\"name\":\"score\",\"functions\":{\"score\":{\"encoding\":\"raw\"},\"nonempty\":{\"encoding\":\"raw\"},\"measure\":{\"encoding\":\"json\"},\"boom\":{\"encoding\":\"raw\"}}}")
  (data (i32.const 512) "true")
  (data (i32.const 520) "false")
  (data (i32.const 528) "{\"vars_bytes\":")

  ;; alloc(n): n bytes from the heap, growing the memory when needed.
  (func (export "alloc") (param $n i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (global.get $next))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.const 1) (i32.div_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65536)))))))
    ;; 4-byte aligned, so the out_len word is aligned too
    (global.set $next (i32.and (i32.add (local.get $end) (i32.const 3)) (i32.const -4)))
    (local.get $p))

  (func $done (param $out_len_ptr i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (local.get $out_len_ptr) (local.get $len))
    (global.set $next (i32.const 8192))
    (local.get $ptr))

  (func (export "loadr_manifest") (param $in i32) (param $len i32) (param $out_len_ptr i32) (result i32)
    (call $done (local.get $out_len_ptr) (i32.const 16) (i32.const 158))) ;; the manifest's length in bytes

  ;; Writes n as decimal text at $at; returns how many bytes it wrote.
  (func $decimal (param $n i32) (param $at i32) (result i32)
    (local $digits i32) (local $i i32) (local $m i32)
    (local.set $m (local.get $n))
    (local.set $digits (i32.const 1))
    (block $b (loop $l
      (br_if $b (i32.lt_u (local.get $m) (i32.const 10)))
      (local.set $m (i32.div_u (local.get $m) (i32.const 10)))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (br $l)))
    (local.set $i (local.get $digits))
    (local.set $m (local.get $n))
    (block $b2 (loop $l2
      (br_if $b2 (i32.eqz (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (local.get $at) (local.get $i)) (i32.add (i32.const 48) (i32.rem_u (local.get $m) (i32.const 10))))
      (local.set $m (i32.div_u (local.get $m) (i32.const 10)))
      (br $l2)))
    (local.get $digits))

  (func (export "score") (param $in i32) (param $len i32) (param $out_len_ptr i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $b (loop $l
      (br_if $b (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $sum (i32.rem_u
        (i32.add (local.get $sum) (i32.mul (i32.load8_u (i32.add (local.get $in) (local.get $i))) (i32.add (local.get $i) (i32.const 1))))
        (i32.const 10007)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (call $done (local.get $out_len_ptr) (i32.const 1024) (call $decimal (local.get $sum) (i32.const 1024))))

  (func (export "nonempty") (param $in i32) (param $len i32) (param $out_len_ptr i32) (result i32)
    (if (result i32) (i32.gt_u (local.get $len) (i32.const 0))
      (then (call $done (local.get $out_len_ptr) (i32.const 512) (i32.const 4)))
      (else (call $done (local.get $out_len_ptr) (i32.const 520) (i32.const 5)))))

  (func (export "measure") (param $in i32) (param $len i32) (param $out_len_ptr i32) (result i32)
    (local $n i32)
    (memory.copy (i32.const 1024) (i32.const 528) (i32.const 14))
    (local.set $n (call $decimal (local.get $len) (i32.const 1038)))
    (i32.store8 (i32.add (i32.const 1038) (local.get $n)) (i32.const 125))
    (call $done (local.get $out_len_ptr) (i32.const 1024) (i32.add (local.get $n) (i32.const 15))))

  (func (export "boom") (param $in i32) (param $len i32) (param $out_len_ptr i32) (result i32)
    unreachable)
)
