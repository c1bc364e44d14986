"""daily roll-up of pain entries

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 08:41:12.202423

"""
from alembic import op
import sqlalchemy as sa

import diary.database


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pain_daily_stats',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('intensity_sum', sa.Integer(), nullable=False),
    sa.Column('intensity_min', sa.Integer(), nullable=False),
    sa.Column('intensity_max', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_pain_daily_stats_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('patient_id', 'local_date', name=op.f('pk_pain_daily_stats'))
    )


    # Sum up the entries that already exist.
    op.execute(
        """
        INSERT INTO pain_daily_stats
            (patient_id, local_date, entry_count, intensity_sum, intensity_min, intensity_max)
        SELECT patient_id, local_date, count(*), sum(intensity), min(intensity), max(intensity)
        FROM pain_entries
        WHERE deleted_at IS NULL
        GROUP BY patient_id, local_date
        """
    )


def downgrade():
    op.drop_table('pain_daily_stats')
