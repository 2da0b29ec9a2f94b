/*
 * wfpgen test stub: source-code annotation (SAL 2.0) and driver-annotation
 * macros, all expanding to nothing.
 *
 * Declaration-only stand-in for CI compile checks; written from the
 * annotation reference on Microsoft Learn, not from any Microsoft header:
 *   learn.microsoft.com/cpp/code-quality/understanding-sal
 *   learn.microsoft.com/cpp/code-quality/annotating-function-parameters-and-return-values
 *   learn.microsoft.com/windows-hardware/drivers/devtest/irql-annotations-for-drivers
 *   learn.microsoft.com/windows-hardware/drivers/devtest/annotating-function-behavior
 *   learn.microsoft.com/windows-hardware/drivers/devtest/function-class-annotations (_Function_class_)
 */
#ifndef WFPGEN_STUB_SAL_H
#define WFPGEN_STUB_SAL_H

/* Parameter annotations */
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(size)
#define _In_reads_opt_(size)
#define _In_reads_bytes_(size)
#define _In_reads_bytes_opt_(size)
#define _Out_
#define _Out_opt_
#define _Out_writes_(size)
#define _Out_writes_bytes_(size)
#define _Out_writes_bytes_opt_(size)
#define _Inout_
#define _Inout_opt_
#define _Inout_updates_bytes_(size)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_bytebuffer_(size)
#define _Outptr_result_buffer_(size)
#define _Reserved_
#define _Printf_format_string_
#define _Field_size_(size)
#define _Field_size_bytes_(size)
#define _Field_size_opt_(size)
#define _Field_range_(min, max)
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Post_invalid_
#define _Post_ptr_invalid_
#define _Post_writable_byte_size_(size)
#define _Post_maybenull_
#define _Notnull_
#define _Maybenull_
#define _Const_

/* Return value and function annotations */
#define _Check_return_
#define _Must_inspect_result_
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_range_(min, max)
#define _Success_(expr)
#define _Return_type_success_(expr)
#define _Use_decl_annotations_
#define _When_(cond, annos)
#define _On_failure_(annos)
#define _Analysis_assume_(expr)
#define _Analysis_noreturn_
#define _Function_class_(name)
#define _Dispatch_type_(type)
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_float_used_
#define _Kernel_requires_resource_held_(res)
#define _Kernel_clear_do_init_(yesNo)

/* IRQL annotations (devtest/irql-annotations-for-drivers) */
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_requires_same_
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(kind, param)
#define _IRQL_restores_global_(kind, param)
#define _IRQL_always_function_max_(irql)
#define _IRQL_always_function_min_(irql)
#define _IRQL_uses_cancel_
#define _IRQL_is_cancel_

/* Locking annotations (code-quality/annotating-locking-behavior) */
#define _Acquires_lock_(lock)
#define _Releases_lock_(lock)
#define _Requires_lock_held_(lock)
#define _Requires_lock_not_held_(lock)
#define _Acquires_exclusive_lock_(lock)
#define _Releases_exclusive_lock_(lock)
#define _Guarded_by_(lock)
#define _Interlocked_
#define _Interlocked_operand_

/* Older driver annotations still seen in samples */
#define __drv_aliasesMem
#define __drv_allocatesMem(kind)
#define __drv_freesMem(kind)
#define __drv_maxIRQL(irql)
#define __drv_minIRQL(irql)
#define __drv_dispatchType(type)
#define __drv_when(cond, annos)

#endif /* WFPGEN_STUB_SAL_H */
