package dev.ringmaster.catalog.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import org.hibernate.FlushMode;
import org.hibernate.Session;

/**
 * Runs before {@code @Transactional} (whose interceptor has priority PLATFORM_BEFORE + 200): with no transaction
 * yet, it begins one, makes its session read-only, and the method's {@code @Transactional} joins it.
 */
@ReadOnly
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class ReadOnlyInterceptor {

    @Inject
    TransactionManager transactions;

    @Inject
    Session session;

    @AroundInvoke
    Object readOnly(InvocationContext ctx) throws Exception {
        if (inTransaction()) {
            return ctx.proceed();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            session.setDefaultReadOnly(true);
            session.setHibernateFlushMode(FlushMode.MANUAL);
            return ctx.proceed();
        });
    }

    private boolean inTransaction() throws SystemException {
        return transactions.getStatus() != Status.STATUS_NO_TRANSACTION;
    }
}
