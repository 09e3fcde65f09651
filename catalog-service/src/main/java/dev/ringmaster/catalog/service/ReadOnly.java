package dev.ringmaster.catalog.service;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A read: when it starts the transaction, the transaction's session loads entities read-only (no snapshots to keep)
 * and never flushes (no dirty check at commit). Called inside a caller's transaction it joins that transaction as it
 * is, so a write that reads through it stays a write.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ReadOnly {}
