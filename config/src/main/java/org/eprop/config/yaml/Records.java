package org.eprop.config.yaml;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/** Reads record components reflectively, including those of records that are not public. */
final class Records {

    private Records() {
    }

    static Object value(RecordComponent component, Record record) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
