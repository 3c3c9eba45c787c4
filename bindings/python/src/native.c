/* vigil._native: the part of the Python binding written against the CPython API.
 *
 * cffi converts arguments one by one, so a batch of str had to be encoded into bytes objects
 * and copied into one packed buffer before libvigil saw it: that cost more per message than
 * the binding's whole remaining overhead. Here a batch is handed over as (pointer, length) pairs
 * that point into the Python objects themselves wherever CPython already holds the message's
 * UTF-8 (an ASCII str, bytes); only the other messages are encoded, once each.
 *
 * A batch's headlines come back the same way (digest()): one pass over its summaries.
 * The text -> UTF-8 rule of the whole binding lives here too (utf8()), so single scans, batches,
 * hashes and banks all turn a message into bytes the same way.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "vigil.h"

#include <stdint.h>

/* The UTF-8 of a str: strict (CPython's fast encoder) or, for a str holding lone surrogates
 * (which strict UTF-8 rejects), with them passed through as their 3-byte forms, as libvigil
 * expects (it counts them as invalid bytes). New reference, or NULL with an exception set. */
static PyObject* encode_str(PyObject* text) {
  PyObject* data = PyUnicode_AsUTF8String(text);
  if (data != NULL || !PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return data;
  PyErr_Clear();
  return PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
}

/* A message as a bytes object: a str as UTF-8, bytes itself, a bytearray or memoryview copied
 * (a copy, so that another thread cannot resize or free it while libvigil reads it).
 * New reference, or NULL with an exception set (TypeError for any other type). */
static PyObject* message_bytes(PyObject* text) {
  if (PyUnicode_Check(text)) return encode_str(text);
  if (PyBytes_Check(text)) {
    Py_INCREF(text);
    return text;
  }
  if (PyByteArray_Check(text) || PyMemoryView_Check(text)) return PyBytes_FromObject(text);
  PyErr_Format(PyExc_TypeError, "expected str or bytes, not %.200s", Py_TYPE(text)->tp_name);
  return NULL;
}

/* utf8(text) -> bytes: the bytes libvigil scans for a message (see message_bytes). */
static PyObject* native_utf8(PyObject* module, PyObject* text) {
  (void)module;
  return message_bytes(text);
}

/* CPython already stores an ASCII str as its UTF-8: its characters, one byte each. */
static int is_ascii_str(PyObject* text) {
  if (!PyUnicode_Check(text)) return 0;
#if PY_VERSION_HEX < 0x030C0000
  if (PyUnicode_READY(text) < 0) {  /* a legacy str built by the old C API; rare */
    PyErr_Clear();
    return 0;
  }
#endif
  return PyUnicode_IS_ASCII(text);
}

/* The batch's messages as pointer/length pairs. `keep` is a list owned by the caller: entry i
 * is replaced by the bytes made for message i when one had to be made, so that everything the
 * pointers point into stays alive (and unchanged) while libvigil runs without the GIL.
 * Returns 0, or -1 with an exception that names the message's index. */
static int point_at_messages(PyObject* keep, const char** texts, size_t* lens) {
  Py_ssize_t i, n = PyList_GET_SIZE(keep);
  for (i = 0; i < n; ++i) {
    PyObject* item = PyList_GET_ITEM(keep, i);
    if (is_ascii_str(item)) {
      texts[i] = (const char*)PyUnicode_1BYTE_DATA(item);
      lens[i] = (size_t)PyUnicode_GET_LENGTH(item);
      continue;
    }
    if (!PyBytes_Check(item)) {
      PyObject* data = message_bytes(item);
      if (data == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
          PyErr_Clear();
          PyErr_Format(PyExc_TypeError, "texts[%zd]: expected str or bytes, not %.200s", i,
                       Py_TYPE(item)->tp_name);
        }
        return -1;
      }
      PyList_SET_ITEM(keep, i, data);  /* does not release the item it replaces: */
      Py_DECREF(item);
      item = data;
    }
    texts[i] = PyBytes_AS_STRING(item);
    lens[i] = (size_t)PyBytes_GET_SIZE(item);
  }
  return 0;
}

/* Scan the prepared messages on an engine (holder == 0) or a holder, without the GIL. */
static int run_scan(uintptr_t handle, int holder, const char* const* texts, const size_t* lens,
                    size_t n, unsigned threads, vigil_batch** out) {
  vigil_batch_options opts = VIGIL_BATCH_OPTIONS_INIT;
  int rc;
  opts.threads = threads;
  Py_BEGIN_ALLOW_THREADS
  rc = holder ? vigil_holder_scan_batch((const vigil_holder*)handle, texts, lens, n, &opts, out)
              : vigil_scan_batch((const vigil_engine*)handle, texts, lens, n, &opts, out);
  Py_END_ALLOW_THREADS
  return rc;
}

/* scan_batch(handle, holder, texts, threads) -> int
 *
 * handle: the address of a vigil_engine (holder false) or vigil_holder (holder true), which
 * the caller keeps open for the call; texts: any iterable of str / bytes / bytearray /
 * memoryview; threads: vigil_batch_options.threads. Returns the address of the new
 * vigil_batch (the caller frees it), or a negative VIGIL_E_* code (vigil_last_error() tells
 * more, on this thread). Raises TypeError naming the index of a message of another type. */
static PyObject* native_scan_batch(PyObject* module, PyObject* args) {
  unsigned long long handle;
  int holder, rc = -1;
  unsigned threads;
  PyObject *texts, *keep;
  const char** ptrs = NULL;
  size_t* lens = NULL;
  size_t n;
  vigil_batch* batch = NULL;
  (void)module;
  if (!PyArg_ParseTuple(args, "KpOI:scan_batch", &handle, &holder, &texts, &threads)) return NULL;
  /* A private list: another thread may change the caller's while the GIL is released. */
  keep = PySequence_List(texts);
  if (keep == NULL) return NULL;
  n = (size_t)PyList_GET_SIZE(keep);
  ptrs = PyMem_Malloc((n ? n : 1) * sizeof *ptrs);
  lens = PyMem_Malloc((n ? n : 1) * sizeof *lens);
  if (ptrs == NULL || lens == NULL) {
    PyErr_NoMemory();
  } else if (point_at_messages(keep, ptrs, lens) == 0) {
    rc = run_scan((uintptr_t)handle, holder, ptrs, lens, n, threads, &batch);
  }
  PyMem_Free(ptrs);
  PyMem_Free(lens);
  Py_DECREF(keep);
  if (PyErr_Occurred()) return NULL;
  return rc == VIGIL_OK ? PyLong_FromVoidPtr(batch) : PyLong_FromLong(rc);
}

/* Nothing but a plain allow: no decision, score, hit, category or invalid byte. The Python
 * side shares one Verdict among all of these and never looks at them one by one. */
static int is_plain_allow(const vigil_verdict_summary* s) {
  return s->decision == VIGIL_ALLOW && s->score == 0.0 && s->hit_count == 0 &&
         s->category_count == 0 && s->invalid_bytes == 0;
}

/* Turn a batch's summaries into the three results of digest(). */
static int digest_into(const vigil_verdict_summary* summaries, size_t n, PyObject* members,
                       PyObject* decisions, PyObject* rich, double* scores) {
  size_t i;
  for (i = 0; i < n; ++i) {
    const vigil_verdict_summary* s = &summaries[i];
    PyObject* member;
    if (s->decision < 0 || s->decision >= PyTuple_GET_SIZE(members)) {
      PyErr_Format(PyExc_RuntimeError, "verdict %zu has an unknown decision %d", i,
                   (int)s->decision);
      return -1;
    }
    member = PyTuple_GET_ITEM(members, s->decision);
    Py_INCREF(member);
    PyList_SET_ITEM(decisions, (Py_ssize_t)i, member);
    scores[i] = s->score;
    if (!is_plain_allow(s)) {
      PyObject* index = PyLong_FromSize_t(i);
      int failed = index == NULL || PyList_Append(rich, index) < 0;
      Py_XDECREF(index);
      if (failed) return -1;
    }
  }
  return 0;
}

/* All of a batch's summaries, in one call into libvigil (PyMem_Free them), or NULL with an
 * exception set. */
static vigil_verdict_summary* batch_summaries(const vigil_batch* batch, size_t n) {
  vigil_verdict_summary* summaries;
  if (n > (size_t)PY_SSIZE_T_MAX / sizeof *summaries) return (void*)PyErr_NoMemory();
  summaries = PyMem_Malloc((n ? n : 1) * sizeof *summaries);
  if (summaries == NULL) return (void*)PyErr_NoMemory();
  summaries[0].struct_size = sizeof *summaries;
  if (n > 0 && vigil_batch_summaries(batch, summaries, n) < 0) {
    PyErr_SetString(PyExc_RuntimeError, vigil_last_error());
    PyMem_Free(summaries);
    return NULL;
  }
  return summaries;
}

/* digest(batch, members) -> (decisions, rich, scores)
 *
 * A batch's headlines in one pass: decisions, a list holding members[d] for each verdict's
 * decision d (members: the Decision enum's values in code order); rich, the indices of the
 * verdicts that are more than a plain allow (the only ones Python builds a Verdict for); and
 * scores, the verdicts' scores as native doubles in a bytes object. batch: the address of a
 * vigil_batch the caller keeps alive for the call. */
static PyObject* native_digest(PyObject* module, PyObject* args) {
  unsigned long long address;
  PyObject *members, *decisions, *rich, *scores, *result;
  const vigil_batch* batch;
  vigil_verdict_summary* summaries;
  size_t n;
  (void)module;
  if (!PyArg_ParseTuple(args, "KO!:digest", &address, &PyTuple_Type, &members)) return NULL;
  batch = (const vigil_batch*)(uintptr_t)address;
  n = vigil_batch_size(batch);
  summaries = batch_summaries(batch, n);
  if (summaries == NULL) return NULL;
  decisions = PyList_New((Py_ssize_t)n);
  rich = PyList_New(0);
  scores = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(double)));
  if (decisions == NULL || rich == NULL || scores == NULL ||
      digest_into(summaries, n, members, decisions, rich, (double*)PyBytes_AS_STRING(scores)) < 0) {
    PyMem_Free(summaries);
    Py_XDECREF(decisions);
    Py_XDECREF(rich);
    Py_XDECREF(scores);
    return NULL;
  }
  PyMem_Free(summaries);
  result = PyTuple_New(3);
  if (result == NULL) {
    Py_DECREF(decisions);
    Py_DECREF(rich);
    Py_DECREF(scores);
    return NULL;
  }
  PyTuple_SET_ITEM(result, 0, decisions);
  PyTuple_SET_ITEM(result, 1, rich);
  PyTuple_SET_ITEM(result, 2, scores);
  return result;
}

static PyMethodDef native_methods[] = {
    {"utf8", native_utf8, METH_O,
     "utf8(text) -> bytes: a message's bytes as libvigil scans them (str as UTF-8, lone "
     "surrogates passed through; bytes as is; bytearray/memoryview copied)."},
    {"scan_batch", native_scan_batch, METH_VARARGS,
     "scan_batch(handle, holder, texts, threads) -> batch address, or a negative VIGIL_E_* code."},
    {"digest", native_digest, METH_VARARGS,
     "digest(batch, members) -> (decisions, indices of verdicts beyond a plain allow, scores)."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef native_module = {
    PyModuleDef_HEAD_INIT, "vigil._native",
    "The CPython-API part of the vigil binding: message bytes and batch hand-over.", -1,
    native_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&native_module); }
